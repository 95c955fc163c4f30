namespace Chatport.Storage.Deliveries;

/// <summary>The delivery outbox, as the dispatcher and the delivery log use it.</summary>
public interface IDeliveryStore
{
    /// <summary>Enabled destinations with pending deliveries due at <paramref name="now"/> and no live lease.</summary>
    Task<IReadOnlyList<string>> DestinationsWithDueDeliveriesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="limit"/> due deliveries of one destination until <paramref name="leaseUntil"/>,
    /// oldest first, and returns them with their bodies. A leased delivery is claimed by no one else until then.
    /// </summary>
    Task<IReadOnlyList<DeliveryWork>> ClaimDueDeliveriesAsync(string destinationId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Writes a batch of attempt results in one transaction (deliveries, attempts, destinations' health).</summary>
    Task RecordAttemptsAsync(IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken = default);

    Task<DeliveryRecord?> GetDeliveryAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <see cref="DeliveryQuery.Before"/> is the last id of the previous page.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Sends a delivery again (same id, so the same <c>webhook-id</c>): pending, due now. False when there is none.</summary>
    Task<bool> ReplayDeliveryAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sends a destination's deliveries matching the filter again; returns how many.</summary>
    Task<int> ReplayDestinationAsync(long accountId, string destinationId, ReplayFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken = default);
}
