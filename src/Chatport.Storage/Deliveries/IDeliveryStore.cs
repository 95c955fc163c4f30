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

    /// <summary>
    /// The heartbeat of a node that holds deliveries (queued in memory or being sent): extends their leases to
    /// <paramref name="leaseUntil"/>, so a live node keeps its work however long a slow destination takes, while a dead
    /// node's leases run out within one lease. Only pending deliveries whose lease is still live at
    /// <paramref name="now"/> are extended (a lease that ran out may be someone else's by now); returns how many.
    /// </summary>
    Task<int> RenewLeasesAsync(IReadOnlyList<string> deliveryIds, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Gives up the leases of deliveries this node holds but will not send (it is stopping): claimable at once.</summary>
    Task<int> ReleaseLeasesAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// At a node's start, releases the leases that no running node can hold: on a store only one node uses (SQLite),
    /// every lease, since whatever held them died with the previous process; on a shared store (PostgreSQL), none,
    /// as other nodes may be sending them (a dead node's leases run out by themselves). Returns how many.
    /// </summary>
    Task<int> RecoverLeasesAsync(CancellationToken cancellationToken = default);

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

    /// <summary>
    /// The live view of one account: per destination (at most the account's destinations), the queue now and the
    /// deliveries settled since <paramref name="since"/>; and how many conversations ended since <paramref name="since"/>
    /// and since <paramref name="conversationsSince"/>. Each count is read by an index bounded by its window.
    /// </summary>
    Task<LiveStats> GetLiveStatsAsync(long accountId, DateTimeOffset since, DateTimeOffset conversationsSince, CancellationToken cancellationToken = default);
}
