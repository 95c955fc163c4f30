namespace Chatport.Delivery.Destinations;

/// <summary>What one attempt gave, in terms every destination kind shares; the dispatcher decides what follows.</summary>
public enum SendResult
{
    /// <summary>The far side has it (a webhook's 2xx, an SMTP 250, a line written and flushed).</summary>
    Delivered,

    /// <summary>Not delivered this time; try again on the destination's schedule (not before <see cref="SendOutcome.NotBefore"/>, if set).</summary>
    Retry,

    /// <summary>Not delivered, and trying again cannot help (the dead letter, at once).</summary>
    Failed,

    /// <summary>The far side asks never to be called again: the destination is disabled.</summary>
    Gone,
}

/// <summary>
/// One attempt's result and what the delivery log keeps of it: how long it took, why it failed, and a short,
/// kind-specific detail (an HTTP status and the first 4 KiB of the answer, an SMTP reply, a file's path).
/// </summary>
/// <param name="StatusCode">The receiver's HTTP status, for kinds that speak HTTP; null otherwise or when there was no answer.</param>
/// <param name="Error">Why it was not delivered, in plain words; null when it was.</param>
/// <param name="Detail">What the far side said or where it went, at most <see cref="MaxDetailBytes"/>.</param>
/// <param name="NotBefore">For <see cref="SendResult.Retry"/>: how long the far side asked to wait (an HTTP <c>Retry-After</c>).</param>
public sealed record SendOutcome(SendResult Result, double LatencyMs, int? StatusCode, string? Error, byte[]? Detail, TimeSpan? NotBefore = null)
{
    /// <summary>How much of a far side's answer the delivery log keeps.</summary>
    public const int MaxDetailBytes = 4096;

    public bool Delivered => Result == SendResult.Delivered;

    /// <summary>For <see cref="SendResult.Gone"/>: why the destination is disabled, as its <c>disabledReason</c> says.</summary>
    public string? GoneReason { get; init; }
}
