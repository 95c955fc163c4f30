using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Api;
using Chatport.Application.Destinations;
using Chatport.Delivery.Destinations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Destinations;

/// <summary>
/// <c>/v1/accounts/{accountId}/destinations</c>: self-service activation of the POST hook (the seed asked
/// customers to email support) and of every other destination kind, with a test button and replay.
/// Each handler maps HTTP to a <see cref="DestinationService"/> call and back.
/// </summary>
internal static class DestinationsApi
{
    public static RouteGroupBuilder MapDestinations(this RouteGroupBuilder account)
    {
        var kinds = ((IEndpointRouteBuilder)account).ServiceProvider.GetRequiredService<DestinationKinds>();
        var destinations = account.MapGroup("/destinations").WithTags("Destinations");
        destinations.MapPost("/", CreateAsync).WithSummary("Add a destination")
            .WithDescription("A flat object: {kind, name?, kinds?, enabled?, timeoutSeconds?, retrySchedule?, …the kind's own fields}. Kinds here: "
                + string.Join("; ", kinds.Names.Order(StringComparer.Ordinal).Select(n => $"{n}: {string.Join(", ", kinds.Find(n)!.Fields.Select(f => f.Name))}"))
                + ". webhook: {url, secret?, headers?}; it needs the account's plan to be pro. Secrets are in this answer once.");
        destinations.MapGet("/", ListAsync).WithSummary("List the account's destinations");
        destinations.MapGet("/{id}", GetAsync).WithSummary("Read a destination");
        destinations.MapPatch("/{id}", PatchAsync).WithSummary("Change a destination (re-enable, rotate its secret, …)");
        destinations.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a destination and its pending deliveries");
        destinations.MapPost("/{id}/test", TestAsync).WithSummary("Send a test conversation and report the answer");
        destinations.MapPost("/{id}/replay", ReplayAsync).WithSummary("Send a destination's deliveries again (by time range and status)");
        return account;
    }

    private static async Task<Results<Created<JsonObject>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long accountId, JsonElement? body, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.Created(await destinations.CreateAsync(accountId, body, cancellationToken),
            model => $"/v1/accounts/{accountId}/destinations/{model.Destination.Id}", DestinationJson.Compose);

    private static async Task<Ok<JsonArray>> ListAsync(long accountId, DestinationService destinations, CancellationToken cancellationToken) =>
        TypedResults.Ok(new JsonArray([.. (await destinations.ListAsync(accountId, cancellationToken)).Select(m => (JsonNode)DestinationJson.Compose(m))]));

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long accountId, string id, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await destinations.GetAsync(accountId, id, cancellationToken), DestinationJson.Compose);

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        long accountId, string id, JsonElement? body, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await destinations.PatchAsync(accountId, id, body, cancellationToken), DestinationJson.Compose);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        long accountId, string id, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.NoContent(await destinations.DeleteAsync(accountId, id, cancellationToken));

    private static async Task<Results<Ok<TestResult>, ValidationProblem, ProblemHttpResult>> TestAsync(
        long accountId, string id, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await destinations.TestAsync(accountId, id, cancellationToken), result => result);

    private static async Task<Results<Ok<ReplayResult>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        long accountId, string id, ReplayRequest? request, DestinationService destinations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await destinations.ReplayAsync(accountId, id, request, cancellationToken), result => result);
}
