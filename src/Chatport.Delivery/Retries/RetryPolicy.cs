using System.Globalization;

namespace Chatport.Delivery.Retries;

/// <summary>Decides, after a failed attempt, whether and when a delivery is tried again.</summary>
public static class RetryPolicy
{
    /// <summary>The longest wait a <c>Retry-After</c> header can impose: 24 hours.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    /// <summary>
    /// Decides what follows a failed attempt.
    /// </summary>
    /// <param name="schedule">The destination's retry schedule.</param>
    /// <param name="attemptsMade">How many attempts have been made, the one that just failed included (1 after the first send).</param>
    /// <param name="now">The time of the decision (from the injected <see cref="TimeProvider"/>).</param>
    /// <param name="jitter">The jitter source; its factor is clamped to [0.8, 1.2].</param>
    /// <param name="retryAfter">
    /// The wait asked for by the receiver in a <c>Retry-After</c> header of a 429 or 503 response (see
    /// <see cref="RetryAfterHeader.Parse"/>), or null. A negative value counts as zero.
    /// </param>
    /// <returns>
    /// When <paramref name="attemptsMade"/> ≥ <see cref="RetrySchedule.MaxAttempts"/>: no retry, with the reason
    /// <c>"dead-lettered after N attempts"</c>. Otherwise a retry at <paramref name="now"/> plus the delay
    /// <c>schedule.Delays[attemptsMade - 1] × factor</c> (a zero delay stays zero); when <paramref name="retryAfter"/>
    /// is given, the delay is the larger of that and <paramref name="retryAfter"/>, where <paramref name="retryAfter"/>
    /// is first capped at <see cref="MaxRetryAfter"/> (24 h). The cap only limits what the receiver can impose: it never
    /// shortens the schedule's own delay.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> or <paramref name="jitter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attemptsMade"/> is less than 1.</exception>
    public static RetryDecision AfterFailure(
        RetrySchedule schedule, int attemptsMade, DateTimeOffset now, IJitter jitter, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);

        if (attemptsMade >= schedule.MaxAttempts)
        {
            return new RetryDecision(
                false, now, string.Create(CultureInfo.InvariantCulture, $"dead-lettered after {attemptsMade} attempts"));
        }

        var scheduled = schedule.Delays[attemptsMade - 1];
        var delay = scheduled == TimeSpan.Zero ? TimeSpan.Zero : Scale(scheduled, jitter.NextFactor());
        var nextAttempt = attemptsMade + 1;
        var reason = string.Create(
            CultureInfo.InvariantCulture, $"attempt {nextAttempt} of {schedule.MaxAttempts} in {Describe(delay)}");

        if (retryAfter is { } asked)
        {
            var honoured = asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
            if (honoured > delay)
            {
                delay = honoured;
                reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"attempt {nextAttempt} of {schedule.MaxAttempts} in {Describe(delay)} (Retry-After{(asked > MaxRetryAfter ? ", capped at 24h" : string.Empty)})");
            }
        }

        return new RetryDecision(true, now + delay, reason);
    }

    private static TimeSpan Scale(TimeSpan delay, double factor)
    {
        if (double.IsNaN(factor))
        {
            factor = 1.0;
        }

        factor = Math.Clamp(factor, IJitter.MinFactor, IJitter.MaxFactor);
        return TimeSpan.FromTicks((long)Math.Round(delay.Ticks * factor, MidpointRounding.AwayFromZero));
    }

    private static string Describe(TimeSpan delay) =>
        delay == TimeSpan.Zero ? "0s" : delay.ToString("c", CultureInfo.InvariantCulture);
}
