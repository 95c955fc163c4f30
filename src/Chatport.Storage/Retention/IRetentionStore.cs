namespace Chatport.Storage.Retention;

/// <summary>
/// What grows without bound and may be forgotten after a retention period: the live events kept for idempotency
/// and audit, and the attempt log of old deliveries. Conversations, their versions and the deliveries' own rows
/// (their status and last error) are kept. (Inbound hooks' webhook-ids are forgotten as they are remembered.)
/// </summary>
public interface IRetentionStore
{
    /// <summary>
    /// Deletes at most <paramref name="limit"/> events received before <paramref name="before"/>, and at most
    /// <paramref name="limit"/> attempts made before it of deliveries whose id sorts below
    /// <paramref name="deliveryIdBound"/> (ids sort by creation time), each in a short transaction of its own.
    /// Returns how many of each went; below the limit, nothing older is left.
    /// </summary>
    Task<(int Events, int Attempts)> PruneAsync(DateTimeOffset before, string deliveryIdBound, int limit, CancellationToken cancellationToken = default);
}
