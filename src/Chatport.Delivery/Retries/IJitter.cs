namespace Chatport.Delivery.Retries;

/// <summary>
/// A source of jitter for retry delays: each call returns a multiplicative factor that spreads retries of many
/// deliveries over time, so that a destination coming back up is not hit by all of them at once.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe and return a factor in [<see cref="MinFactor"/>, <see cref="MaxFactor"/>]
/// (±20 %). <see cref="RetryPolicy"/> clamps anything outside that range.
/// </remarks>
public interface IJitter
{
    /// <summary>The smallest factor a jitter source may return (0.8, that is −20 %).</summary>
    const double MinFactor = 0.8;

    /// <summary>The largest factor a jitter source may return (1.2, that is +20 %).</summary>
    const double MaxFactor = 1.2;

    /// <summary>Returns the next jitter factor, in [<see cref="MinFactor"/>, <see cref="MaxFactor"/>].</summary>
    /// <returns>A factor the scheduled delay is multiplied by.</returns>
    double NextFactor();
}
