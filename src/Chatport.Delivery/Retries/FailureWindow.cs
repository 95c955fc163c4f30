namespace Chatport.Delivery.Retries;

/// <summary>Decides when a destination that keeps failing is disabled.</summary>
public static class FailureWindow
{
    /// <summary>The default window: a destination failing with no success for 5 days is disabled.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(5);

    /// <summary>
    /// Whether a destination has been failing, with no success, for at least <paramref name="window"/>.
    /// </summary>
    /// <param name="failingSince">When the current run of failures began (the first failure after the last success), or null when it is not failing.</param>
    /// <param name="lastSuccessAt">When a delivery to the destination last succeeded, or null if never.</param>
    /// <param name="now">The current time.</param>
    /// <param name="window">How long a destination may fail before it is disabled; usually <see cref="DefaultWindow"/>.</param>
    /// <returns>
    /// True when <paramref name="failingSince"/> is set, there was no success at or after it (<paramref name="lastSuccessAt"/>
    /// is null or earlier), and <c>now − failingSince ≥ window</c>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is zero or negative.</exception>
    public static bool ShouldDisable(
        DateTimeOffset? failingSince, DateTimeOffset? lastSuccessAt, DateTimeOffset now, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);

        if (failingSince is not { } since)
        {
            return false;
        }

        if (lastSuccessAt is { } success && success >= since)
        {
            return false;
        }

        return now - since >= window;
    }
}
