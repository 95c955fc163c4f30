using System.Security.Claims;
using Chatport.Api;
using Chatport.Application.Deliveries;
using Chatport.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Deliveries;

/// <summary>The delivery log, with every attempt, and replay of one delivery; each handler calls <see cref="DeliveryService"/>.</summary>
internal static class DeliveriesApi
{
    /// <summary>Maps <c>GET /v1/accounts/{accountId}/deliveries</c> on the account group.</summary>
    public static RouteGroupBuilder MapDeliveryLog(this RouteGroupBuilder account)
    {
        account.MapGet("/deliveries", ListAsync).WithTags("Deliveries")
            .WithSummary("The account's delivery log, newest first")
            .WithDescription("status: pending, succeeded or failed; destination: a destination id; from/to: epoch ms or ISO 8601, on when "
                + "the delivery was created (from inclusive, to exclusive); limit 1 to 500; before: the previous page's next.");
        account.MapGet("/stats", LiveAsync).WithTags("Deliveries")
            .WithSummary("The account's live view: conversations ended and deliveries settled lately, and the queue, per destination")
            .WithDescription("Conversations that ended (endAt) in the last 5 and 60 minutes; per destination, deliveries succeeded and failed "
                + "(by their last attempt) in the last 5 minutes, per second, and what is pending now with the oldest one's age.");
        return account;
    }

    /// <summary>Maps <c>GET /v1/deliveries/{id}</c> and <c>POST /v1/deliveries/{id}/replay</c>.</summary>
    public static RouteGroupBuilder MapDeliveries(this RouteGroupBuilder v1)
    {
        var deliveries = v1.MapGroup("/deliveries").WithTags("Deliveries");
        deliveries.MapGet("/{id}", GetAsync).WithSummary("One delivery with every attempt");
        deliveries.MapPost("/{id}/replay", ReplayAsync).WithSummary("Send a delivery again (same webhook-id)");
        return v1;
    }

    private static async Task<Results<Ok<DeliveryList>, ValidationProblem, ProblemHttpResult>> ListAsync(
        long accountId, string? status, string? destination, int? limit, string? before, string? from, string? to, DeliveryService deliveries,
        CancellationToken cancellationToken) =>
        ResultResponses.Ok(await deliveries.ListAsync(accountId, status, destination, limit, before, from, to, cancellationToken),
            page => new DeliveryList([.. page.Items.Select(d => DeliveryResponse.From(d))], page.Next));

    private static async Task<Results<Ok<LiveResponse>, ValidationProblem, ProblemHttpResult>> LiveAsync(
        long accountId, DeliveryService deliveries, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await deliveries.GetLiveAsync(accountId, cancellationToken), LiveResponse.From);

    private static async Task<Results<Ok<DeliveryResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, DeliveryService deliveries, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await deliveries.GetAsync(id, user.CanAccess, cancellationToken), d => DeliveryResponse.From(d.Delivery, d.Attempts));

    private static async Task<Results<Accepted<DeliveryResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        string id, ClaimsPrincipal user, DeliveryService deliveries, CancellationToken cancellationToken)
    {
        var result = await deliveries.ReplayAsync(id, user.CanAccess, cancellationToken);
        if (result.Succeeded)
        {
            return TypedResults.Accepted($"/v1/deliveries/{id}", DeliveryResponse.From(result.Value!));
        }
        var (validation, problem) = ResultResponses.Problem(result);
        return validation is not null ? validation : problem!;
    }
}
