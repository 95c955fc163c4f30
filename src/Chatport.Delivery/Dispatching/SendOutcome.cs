namespace Chatport.Delivery.Dispatching;

/// <summary>What one attempt to send a delivery gave.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when there was no answer.</param>
/// <param name="Error">Why it failed (timeout, refused, blocked target…); null on success.</param>
/// <param name="Response">The first 4 KiB of the answer.</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, on a 429 or 503.</param>
public sealed record SendOutcome(int? StatusCode, double LatencyMs, string? Error, byte[]? Response, TimeSpan? RetryAfter)
{
    /// <summary>Only 2xx is success.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>410 Gone: the receiver asks not to be called again; the destination is disabled.</summary>
    public bool Gone => StatusCode == 410;
}
