namespace Chatport.Storage.Deliveries;

/// <summary>
/// What a batch of attempt results does to each destination's health, as one change per destination instead of
/// one per result: the last success (clears <c>failing_since</c>, sets <c>last_success_at</c>), then the first
/// failure after it (sets <c>failing_since</c> unless it is already set). Applying the two in that order leaves
/// the row as applying every result one by one would.
/// </summary>
public readonly record struct DestinationHealth(DateTimeOffset? LastSuccess, DateTimeOffset? FailingSince)
{
    public static IEnumerable<KeyValuePair<string, DestinationHealth>> Of(IReadOnlyList<AttemptResult> results)
    {
        var changes = new Dictionary<string, DestinationHealth>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            changes.TryGetValue(result.DestinationId, out var change);
            changes[result.DestinationId] = result.Status == DeliveryStatus.Succeeded
                ? new DestinationHealth(result.At, null)
                : change with { FailingSince = change.FailingSince ?? result.At };
        }
        return changes;
    }
}
