using System.Security.Cryptography;
using Chatport.Api;
using Chatport.Delivery.Signing;
using Chatport.Storage;
using Chatport.Storage.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Sources.Hooks;

/// <summary><c>/v1/accounts/{accountId}/sources</c>: inbound hooks, each with its own URL and auth mode.</summary>
internal static class SourcesApi
{
    public static RouteGroupBuilder MapSources(this RouteGroupBuilder account)
    {
        var sources = account.MapGroup("/sources").WithTags("Inbound hooks");
        sources.MapPost("/", CreateAsync).WithSummary("Add an inbound hook")
            .WithDescription("{kind: \"hook\", auth: token | basic | standard | smartsupp-hmac, secret?, username?}. Answers {id, url: \"/hooks/TOKEN\"}; "
                + "a generated secret is in this answer only.");
        sources.MapGet("/", ListAsync).WithSummary("List the account's inbound hooks");
        sources.MapGet("/{id}", GetAsync).WithSummary("Read an inbound hook");
        sources.MapDelete("/{id}", DeleteAsync).WithSummary("Delete an inbound hook (its URL stops working)");
        return account;
    }

    private static async Task<Results<Created<SourceResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long accountId, SourceRequest? request, IChatportStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"There is no account {accountId}.");
        }
        var errors = new Dictionary<string, string[]>();
        if (request?.Kind != "hook")
        {
            errors["kind"] = [request?.Kind is null ? "kind is required: \"hook\"." : $"kind must be \"hook\", not \"{request.Kind}\"."];
        }
        var auth = request?.Auth ?? HookAuth.Token;
        if (!HookAuth.IsKnown(auth))
        {
            errors["auth"] = [$"auth must be token, basic, standard or smartsupp-hmac; not \"{auth}\"."];
        }
        var secret = request?.Secret?.Trim();
        if (auth == HookAuth.Standard && secret is not null)
        {
            try
            {
                WebhookSecret.Parse(secret);
            }
            catch (FormatException e)
            {
                errors["secret"] = [e.Message];
            }
        }
        else if (secret is { Length: < 16 })
        {
            errors["secret"] = ["secret must be at least 16 characters long (leave it out to have one made)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The hook was not made; see errors.");
        }
        secret ??= auth switch
        {
            HookAuth.Standard => WebhookSecret.Generate().ToString(),
            HookAuth.Basic or HookAuth.SmartsuppHmac => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            _ => null,
        };
        var source = new HookSource(
            "src_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), accountId, request?.Name ?? "inbound hook", auth,
            System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)),
            auth == HookAuth.Basic ? request?.Username ?? "chatport" : null,
            auth == HookAuth.Token ? null : secret,
            time.GetUtcNow());
        await store.CreateSourceAsync(source, cancellationToken);
        return TypedResults.Created($"/v1/accounts/{accountId}/sources/{source.Id}", SourceResponse.From(source, showSecret: request?.Secret is null));
    }

    private static async Task<Ok<List<SourceResponse>>> ListAsync(long accountId, IChatportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListSourcesAsync(accountId, cancellationToken)).Select(s => SourceResponse.From(s)).ToList());

    private static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> GetAsync(long accountId, string id, IChatportStore store, CancellationToken cancellationToken) =>
        await store.GetSourceAsync(accountId, id, cancellationToken) is { } source
            ? TypedResults.Ok(SourceResponse.From(source))
            : ApiProblems.NotFound($"Account {accountId} has no inbound hook {id}.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long accountId, string id, IChatportStore store, CancellationToken cancellationToken) =>
        await store.DeleteSourceAsync(accountId, id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Account {accountId} has no inbound hook {id}.");
}
