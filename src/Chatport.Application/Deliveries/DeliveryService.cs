using Chatport.Delivery.Dispatching;
using Chatport.Storage;
using Chatport.Storage.Deliveries;

namespace Chatport.Application.Deliveries;

/// <summary>A delivery with its attempts, as the log shows it.</summary>
public sealed record DeliveryDetails(DeliveryRecord Delivery, IReadOnlyList<AttemptRecord> Attempts);

/// <summary>The delivery log and replay of one delivery. Who may see which account is the caller's to say.</summary>
public sealed class DeliveryService(IChatportStore store, IDeliveryQueue queue, TimeProvider time)
{
    public const int MaxPage = 500;
    public const int DefaultPage = 50;

    /// <summary>A page of an account's deliveries, newest first, with the id to pass as <c>before</c> for the next page.</summary>
    public async Task<Result<(IReadOnlyList<DeliveryRecord> Items, string? Next)>> ListAsync(
        long accountId, string? status, string? destinationId, int? limit, string? before, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !DeliveryStatus.IsKnown(status))
        {
            errors["status"] = [$"status must be pending, succeeded or failed; not \"{status}\"."];
        }
        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPage}."];
        }
        if (errors.Count > 0)
        {
            return Result<(IReadOnlyList<DeliveryRecord>, string?)>.Invalid(errors);
        }
        var size = limit ?? DefaultPage;
        var page = await store.ListDeliveriesAsync(new DeliveryQuery(accountId, status, destinationId, before, size), cancellationToken);
        return Result<(IReadOnlyList<DeliveryRecord>, string?)>.Ok((page, page.Count == size ? page[^1].Id : null));
    }

    /// <param name="canSee">Whether the caller may see an account's deliveries; another account's is not found.</param>
    public async Task<Result<DeliveryDetails>> GetAsync(string id, Func<long, bool> canSee, CancellationToken cancellationToken = default)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !canSee(delivery.AccountId))
        {
            return NotFound<DeliveryDetails>(id);
        }
        return Result<DeliveryDetails>.Ok(new DeliveryDetails(delivery, await store.GetAttemptsAsync(id, cancellationToken)));
    }

    /// <summary>Sends one delivery again, under the same id (a receiver that de-duplicates by it keeps one copy).</summary>
    public async Task<Result<DeliveryRecord>> ReplayAsync(string id, Func<long, bool> canSee, CancellationToken cancellationToken = default)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null || !canSee(delivery.AccountId))
        {
            return NotFound<DeliveryRecord>(id);
        }
        await store.ReplayDeliveryAsync(id, time.GetUtcNow(), CancellationToken.None);
        queue.Wake();
        return Result<DeliveryRecord>.Ok((await store.GetDeliveryAsync(id, CancellationToken.None))!);
    }

    private static Result<T> NotFound<T>(string id) => Result<T>.NotFound($"There is no delivery {id}.");
}
