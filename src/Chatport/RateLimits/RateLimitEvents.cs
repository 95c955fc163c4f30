using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Chatport.RateLimits;

/// <summary>
/// What the rate limits refused: every 429 counts in <c>chatport.rate_limit.refused</c> (meter <c>Chatport.RateLimits</c>,
/// by <c>limit</c>: failed_auth, account_key, hook), and the log says so at most once a minute per limit — the first
/// refusal at once, then how many followed — so a flood of wrong keys cannot flood the log too.
/// </summary>
internal sealed partial class RateLimitEvents(IMeterFactory meters, TimeProvider time, ILogger<RateLimitEvents> logger)
{
    public const string MeterName = "Chatport.RateLimits";

    /// <summary>How often, at most, each limit writes a log line.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly Counter<long> _refused = meters.Create(MeterName)
        .CreateCounter<long>("chatport.rate_limit.refused", "{request}", "Requests answered 429 by a rate limit, by limit.");

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public void Refused(string limit)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("limit", limit));
        var now = time.GetTimestamp();
        var window = _windows.GetOrAdd(limit, static _ => new Window());
        long count;
        lock (window)
        {
            window.Count++;
            if (window.LoggedAt != 0 && time.GetElapsedTime(window.LoggedAt, now) < LogEvery)
            {
                return;
            }
            count = window.Count;
            window.Count = 0;
            window.LoggedAt = now;
        }
        LogRefused(limit, count);
    }

    private sealed class Window
    {
        public long Count;
        public long LoggedAt;
    }

    [LoggerMessage(121, LogLevel.Warning, "The {Limit} rate limit answered 429 to {Count} request(s) since it last said so (Chatport:RateLimits; counted in chatport_rate_limit_refused_total).")]
    private partial void LogRefused(string limit, long count);
}
