namespace Chatport.Storage.Deliveries;

/// <summary>One finished attempt and what follows from it, written by the dispatcher in batches.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when there was no answer.</param>
/// <param name="Error">Why it failed, when it did (timeout, refused connection, blocked target…).</param>
/// <param name="Response">The first 4 KiB of the receiver's answer.</param>
/// <param name="Status">The delivery's status after this attempt.</param>
/// <param name="NextAttemptAt">When to try again, for a pending delivery.</param>
/// <param name="DisableDestination">Why to disable the destination now (410 Gone, failing for 5 days), if so.</param>
public sealed record AttemptResult(
    string DeliveryId,
    string DestinationId,
    int Number,
    DateTimeOffset At,
    int? StatusCode,
    double LatencyMs,
    string? Error,
    byte[]? Response,
    string Status,
    DateTimeOffset? NextAttemptAt,
    string? DisableDestination);
