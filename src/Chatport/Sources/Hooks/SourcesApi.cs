using Chatport.Api;
using Chatport.Application.Sources;
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
        long accountId, SourceRequest? request, SourceService sources, CancellationToken cancellationToken) =>
        ResultResponses.Created(await sources.CreateAsync(accountId, request, cancellationToken),
            made => $"/v1/accounts/{accountId}/sources/{made.Source.Id}", made => SourceResponse.From(made.Source, made.ShowSecret));

    private static async Task<Ok<List<SourceResponse>>> ListAsync(long accountId, SourceService sources, CancellationToken cancellationToken) =>
        TypedResults.Ok((await sources.ListAsync(accountId, cancellationToken)).Select(s => SourceResponse.From(s)).ToList());

    private static async Task<Results<Ok<SourceResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long accountId, string id, SourceService sources, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await sources.GetAsync(accountId, id, cancellationToken), s => SourceResponse.From(s));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        long accountId, string id, SourceService sources, CancellationToken cancellationToken) =>
        ResultResponses.NoContent(await sources.DeleteAsync(accountId, id, cancellationToken));
}
