using Chatport.Auth;
using Chatport.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api.Keys;

/// <summary>
/// <c>/v1/accounts/{accountId}/keys</c>: API keys that act for one account only (its conversations, events,
/// destinations), for the account's own systems; the admin key makes them.
/// </summary>
internal static class KeysApi
{
    public static RouteGroupBuilder MapKeys(this RouteGroupBuilder account)
    {
        var keys = account.MapGroup("/keys").WithTags("Keys");
        keys.MapPost("/", CreateAsync).RequireAuthorization(Caller.AdminPolicy)
            .WithSummary("Make an API key for the account (admin)")
            .WithDescription("The key is in the answer once; only its SHA-256 is kept.");
        keys.MapGet("/", ListAsync).WithSummary("List the account's keys (never the keys themselves)");
        keys.MapDelete("/{keyId}", RevokeAsync).WithSummary("Revoke a key");
        return account;
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateAsync(
        long accountId, KeyRequest? request, IChatportStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"There is no account {accountId}.");
        }
        var name = string.IsNullOrWhiteSpace(request?.Name) ? "api key" : request.Name.Trim();
        if (name.Length > 200)
        {
            return ApiProblems.BadRequest("name must be at most 200 characters.");
        }
        var key = ApiKeys.NewAccountKey();
        var record = await store.CreateApiKeyAsync(ApiKeys.NewKeyId(), accountId, name, key[..ApiKeys.ShownLength], ApiKeys.Hash(key), cancellationToken);
        return TypedResults.Created($"/v1/accounts/{accountId}/keys/{record.Id}",
            new CreatedKeyResponse(record.Id, accountId, record.Name, record.Prefix, record.CreatedAt, key));
    }

    private static async Task<Ok<List<KeyResponse>>> ListAsync(long accountId, IChatportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListApiKeysAsync(accountId, cancellationToken)).Select(KeyResponse.From).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        long accountId, string keyId, IChatportStore store, CancellationToken cancellationToken) =>
        await store.RevokeApiKeyAsync(accountId, keyId, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Account {accountId} has no key {keyId}.");
}
