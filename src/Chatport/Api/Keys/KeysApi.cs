using Chatport.Application.Keys;
using Chatport.Auth;
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

    private static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long accountId, KeyRequest? request, KeyService keys, CancellationToken cancellationToken) =>
        ResultResponses.Created(await keys.CreateAsync(accountId, request?.Name, cancellationToken),
            made => $"/v1/accounts/{accountId}/keys/{made.Record.Id}",
            made => new CreatedKeyResponse(made.Record.Id, accountId, made.Record.Name, made.Record.Prefix, made.Record.CreatedAt, made.Key));

    private static async Task<Ok<List<KeyResponse>>> ListAsync(long accountId, KeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(accountId, cancellationToken)).Select(KeyResponse.From).ToList());

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        long accountId, string keyId, KeyService keys, CancellationToken cancellationToken) =>
        ResultResponses.NoContent(await keys.RevokeAsync(accountId, keyId, cancellationToken));
}
