using System.Collections.ObjectModel;
using System.Globalization;

namespace Chatport.Delivery.Retries;

/// <summary>
/// The delays between the attempts of one delivery.
/// </summary>
/// <remarks>
/// <para>
/// Attempt 1 is the first send and is not part of the schedule. When attempt <c>n</c> fails, attempt <c>n + 1</c> is made
/// <c>Delays[n - 1]</c> (times a jitter factor, see <see cref="RetryPolicy"/>) after attempt <c>n</c> failed. When the
/// attempt made after the last delay fails too, the delivery is dead-lettered. A schedule of <c>k</c> delays therefore
/// allows <see cref="MaxAttempts"/> = <c>k + 1</c> attempts in all: the first send plus <c>k</c> retries.
/// </para>
/// <para>
/// A schedule has 1 to <see cref="MaxDelayCount"/> delays, each between zero and <see cref="MaxDelay"/> inclusive,
/// adding up to at most <see cref="MaxTotal"/>. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class RetrySchedule
{
    /// <summary>The most delays a schedule may have (so at most 21 attempts).</summary>
    public const int MaxDelayCount = 20;

    /// <summary>The longest single delay: 7 days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>The longest sum of all delays: 30 days.</summary>
    public static readonly TimeSpan MaxTotal = TimeSpan.FromDays(30);

    private const string AcceptedForms =
        "expected \"0\", a whole number with a unit s, m, h or d (for example \"5s\", \"30m\", \"2h\", \"1d\"), "
        + "or a time span such as \"00:05:00\" or \"1.02:00:00\"";

    private readonly TimeSpan[] _delays;

    private RetrySchedule(TimeSpan[] delays)
    {
        _delays = delays;
        Delays = Array.AsReadOnly(delays);
    }

    /// <summary>
    /// The default schedule: the first send, then retries immediately (0), after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
    /// 14 h, 20 h and 24 h — 10 delays, so 11 attempts in all (1 + 10 retries); when the 11th attempt fails, the
    /// delivery is dead-lettered. Without jitter the last attempt comes 75 h 35 min 5 s after the first one failed.
    /// </summary>
    public static RetrySchedule Default { get; } = new(
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(14),
        TimeSpan.FromHours(20),
        TimeSpan.FromHours(24),
    ]);

    /// <summary>
    /// The delays, in order: <c>Delays[n - 1]</c> is the wait (before jitter) between the failure of attempt <c>n</c>
    /// and attempt <c>n + 1</c>. Read-only.
    /// </summary>
    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>The number of attempts in all, the first send included: <c>Delays.Count + 1</c> (11 for <see cref="Default"/>).</summary>
    public int MaxAttempts => _delays.Length + 1;

    /// <summary>The sum of all delays, before jitter.</summary>
    public TimeSpan Total
    {
        get
        {
            var total = TimeSpan.Zero;
            foreach (var delay in _delays)
            {
                total += delay;
            }

            return total;
        }
    }

    /// <summary>
    /// Parses a schedule from its textual delays, as given in a destination's configuration or API call.
    /// </summary>
    /// <param name="delays">
    /// The delays in order. Each is <c>"0"</c>; a whole number followed by a unit <c>s</c> (seconds), <c>m</c> (minutes),
    /// <c>h</c> (hours) or <c>d</c> (days), such as <c>"5s"</c>, <c>"30m"</c>, <c>"2h"</c> or <c>"1d"</c> (the unit is
    /// case-insensitive; a number without a unit other than 0 is refused as ambiguous); or a time span with colons in
    /// the invariant format <c>[d.]hh:mm[:ss[.fffffff]]</c>, such as <c>"00:05:00"</c>. Surrounding white space is ignored.
    /// </param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delays"/> is null.</exception>
    /// <exception cref="FormatException">
    /// A delay cannot be read (the message names its index and value), is negative or longer than 7 days, or the list
    /// has no delay, more than 20 delays, or delays adding up to more than 30 days.
    /// </exception>
    public static RetrySchedule Parse(IReadOnlyList<string> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        var parsed = new TimeSpan[delays.Count];
        for (var i = 0; i < delays.Count; i++)
        {
            parsed[i] = ParseDelay(i, delays[i]);
        }

        var error = Validate(parsed);
        if (error is not null)
        {
            throw new FormatException(error);
        }

        return new RetrySchedule(parsed);
    }

    /// <summary>Makes a schedule from delays already in <see cref="TimeSpan"/> form (from storage, say).</summary>
    /// <param name="delays">The delays in order; the same rules as for <see cref="Parse"/> apply.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delays"/> is null.</exception>
    /// <exception cref="ArgumentException">The delays break a rule of the schedule (count, range or total).</exception>
    public static RetrySchedule FromDelays(IEnumerable<TimeSpan> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        var copy = delays.ToArray();
        var error = Validate(copy);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(delays));
        }

        return new RetrySchedule(copy);
    }

    /// <summary>
    /// The delays in their shortest textual form, for the API to echo back: <c>"0"</c>, else the largest of
    /// <c>d</c>, <c>h</c>, <c>m</c>, <c>s</c> that expresses the delay exactly (<c>"5s"</c>, <c>"30m"</c>, <c>"2h"</c>,
    /// <c>"1d"</c> — so 24 h is written <c>"1d"</c>), else the invariant time span form (<c>"00:00:01.5000000"</c>).
    /// <see cref="Parse"/> reads every string back to the same delay.
    /// </summary>
    /// <returns>One string per delay, in order.</returns>
    public IReadOnlyList<string> ToStrings()
    {
        var result = new string[_delays.Length];
        for (var i = 0; i < _delays.Length; i++)
        {
            result[i] = Format(_delays[i]);
        }

        return Array.AsReadOnly(result);
    }

    /// <summary>The delays as by <see cref="ToStrings"/>, separated by commas.</summary>
    /// <returns>For example <c>"0, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 1d"</c>.</returns>
    public override string ToString() => string.Join(", ", ToStrings());

    private static TimeSpan ParseDelay(int index, string? raw)
    {
        if (raw is null)
        {
            throw new FormatException($"Retry delay at index {index} is null; {AcceptedForms}.");
        }

        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw new FormatException($"Retry delay at index {index} (\"{raw}\") is empty; {AcceptedForms}.");
        }

        TimeSpan delay;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out delay))
            {
                throw new FormatException($"Retry delay at index {index} (\"{raw}\") is not a valid time span; {AcceptedForms}.");
            }
        }
        else
        {
            var unit = char.ToLowerInvariant(text[^1]);
            long ticksPerUnit = unit switch
            {
                's' => TimeSpan.TicksPerSecond,
                'm' => TimeSpan.TicksPerMinute,
                'h' => TimeSpan.TicksPerHour,
                'd' => TimeSpan.TicksPerDay,
                _ => 0,
            };
            var digits = ticksPerUnit == 0 ? text : text[..^1];
            if (!IsDigits(digits))
            {
                throw new FormatException($"Retry delay at index {index} (\"{raw}\") is not valid; {AcceptedForms}.");
            }

            if (ticksPerUnit == 0)
            {
                if (digits.Trim('0').Length != 0)
                {
                    throw new FormatException(
                        $"Retry delay at index {index} (\"{raw}\") has no unit; write for example \"{digits}s\" for seconds "
                        + "(only 0 may be written without a unit).");
                }

                return TimeSpan.Zero;
            }

            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || amount > MaxDelay.Ticks / ticksPerUnit)
            {
                throw new FormatException(OutOfRange(index, raw));
            }

            delay = TimeSpan.FromTicks(amount * ticksPerUnit);
        }

        if (delay < TimeSpan.Zero || delay > MaxDelay)
        {
            throw new FormatException(OutOfRange(index, raw));
        }

        return delay;
    }

    private static string OutOfRange(int index, string raw) =>
        $"Retry delay at index {index} (\"{raw}\") is out of range; each delay must be between 0 and 7 days.";

    private static bool IsDigits(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Validate(TimeSpan[] delays)
    {
        if (delays.Length == 0)
        {
            return "A retry schedule needs at least one delay.";
        }

        if (delays.Length > MaxDelayCount)
        {
            return $"A retry schedule has at most {MaxDelayCount} delays; {delays.Length} were given.";
        }

        var total = TimeSpan.Zero;
        for (var i = 0; i < delays.Length; i++)
        {
            if (delays[i] < TimeSpan.Zero || delays[i] > MaxDelay)
            {
                return $"Retry delay at index {i} ({Format(delays[i])}) is out of range; each delay must be between 0 and 7 days.";
            }

            total += delays[i];
        }

        if (total > MaxTotal)
        {
            return $"The retry delays add up to {total.ToString("c", CultureInfo.InvariantCulture)}; "
                + "the total must be at most 30 days.";
        }

        return null;
    }

    private static string Format(TimeSpan delay)
    {
        if (delay == TimeSpan.Zero)
        {
            return "0";
        }

        if (delay > TimeSpan.Zero)
        {
            var ticks = delay.Ticks;
            if (ticks % TimeSpan.TicksPerDay == 0)
            {
                return (ticks / TimeSpan.TicksPerDay).ToString(CultureInfo.InvariantCulture) + "d";
            }

            if (ticks % TimeSpan.TicksPerHour == 0)
            {
                return (ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture) + "h";
            }

            if (ticks % TimeSpan.TicksPerMinute == 0)
            {
                return (ticks / TimeSpan.TicksPerMinute).ToString(CultureInfo.InvariantCulture) + "m";
            }

            if (ticks % TimeSpan.TicksPerSecond == 0)
            {
                return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "s";
            }
        }

        return delay.ToString("c", CultureInfo.InvariantCulture);
    }
}
