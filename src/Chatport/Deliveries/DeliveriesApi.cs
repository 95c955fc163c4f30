using System.Security.Claims;
using Chatport.Api;
using Chatport.Auth;
using Chatport.Delivery.Dispatching;
using Chatport.Storage;
using Chatport.Storage.Deliveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Deliveries;

/// <summary>The delivery log, with every attempt, and replay of one delivery.</summary>
internal static class DeliveriesApi
{
    /// <summary>Maps <c>GET /v1/accounts/{accountId}/deliveries</c> on the account group.</summary>
    public static RouteGroupBuilder MapDeliveryLog(this RouteGroupBuilder account)
    {
        account.MapGet("/deliveries", ListAsync).WithTags("Deliveries")
            .WithSummary("The account's delivery log, newest first")
            .WithDescription("status: pending, succeeded or failed; destination: a destination id; limit 1 to 500; before: the previous page's next.");
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

    private static async Task<Results<Ok<DeliveryList>, ValidationProblem>> ListAsync(
        long accountId, string? status, string? destination, int? limit, string? before, IChatportStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !DeliveryStatus.IsKnown(status))
        {
            errors["status"] = [$"status must be pending, succeeded or failed; not \"{status}\"."];
        }
        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["limit must be between 1 and 500."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var page = await store.ListDeliveriesAsync(new DeliveryQuery(accountId, status, destination, before, limit ?? 50), cancellationToken);
        return TypedResults.Ok(new DeliveryList(
            page.Select(d => DeliveryResponse.From(d)).ToList(),
            page.Count == (limit ?? 50) ? page[^1].Id : null));
    }

    private static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IChatportStore store, CancellationToken cancellationToken)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !user.CanAccess(delivery.AccountId))
        {
            return ApiProblems.NotFound($"There is no delivery {id}.");
        }
        return TypedResults.Ok(DeliveryResponse.From(delivery, await store.GetAttemptsAsync(id, cancellationToken)));
    }

    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> ReplayAsync(
        string id, ClaimsPrincipal user, IChatportStore store, IDeliveryQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !user.CanAccess(delivery.AccountId))
        {
            return ApiProblems.NotFound($"There is no delivery {id}.");
        }
        await store.ReplayDeliveryAsync(id, time.GetUtcNow(), cancellationToken);
        queue.Wake();
        return TypedResults.Accepted($"/v1/deliveries/{id}", DeliveryResponse.From((await store.GetDeliveryAsync(id, cancellationToken))!));
    }
}
