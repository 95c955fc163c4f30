namespace Chatport.Storage.Deliveries;

/// <summary>
/// What a batch of attempt results does to each destination's health, as one change per destination instead of
/// one per result: the last success (clears <c>failing_since</c> and <c>last_error</c>, sets <c>last_success_at</c>),
/// then the failures after it (the first sets <c>failing_since</c> unless it is already set; the last one's error is
/// <c>last_error</c>). Applying the two in that order leaves the row as applying every result one by one would.
/// </summary>
public readonly record struct DestinationHealth(DateTimeOffset? LastSuccess, DateTimeOffset? FailingSince, string? LastError = null)
{
    /// <summary>The most characters of an error kept on the destination.</summary>
    public const int MaxErrorLength = 500;

    public static IEnumerable<KeyValuePair<string, DestinationHealth>> Of(IReadOnlyList<AttemptResult> results)
    {
        var changes = new Dictionary<string, DestinationHealth>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            changes.TryGetValue(result.DestinationId, out var change);
            changes[result.DestinationId] = result.Status == DeliveryStatus.Succeeded
                ? new DestinationHealth(result.At, null)
                : change with { FailingSince = change.FailingSince ?? result.At, LastError = ErrorOf(result) };
        }
        return changes;
    }

    private static string ErrorOf(AttemptResult result)
    {
        var error = result.Error ?? (result.StatusCode is { } code ? $"The far side answered {code}." : "The attempt failed.");
        return error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
    }
}
