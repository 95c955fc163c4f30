using System.Buffers;
using System.Net;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Safety;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// What the kinds that speak HTTP (<c>webhook</c>, <c>http</c>) make of an answer, alike: only 2xx is delivered;
/// 410 Gone disables the destination; anything else is tried again on the destination's schedule, not before a
/// 429's or 503's <c>Retry-After</c>; a timeout, a blocked target or an unreachable host is a retry in plain words.
/// </summary>
public static class HttpAnswers
{
    /// <summary>Said when a receiver answers 410 Gone, as the reason its destination is disabled.</summary>
    public const string GoneReason = "The receiver answered 410 Gone: it asks not to be called again.";

    /// <summary>The first <paramref name="limit"/> bytes of the answer's body; empty when it has none.</summary>
    public static async Task<byte[]> ReadStartAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return [];
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var total = 0;
            int read;
            while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken)) > 0)
            {
                total += read;
            }
            return total == 0 ? [] : buffer[..total];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The outcome an answer's status makes, with <paramref name="detail"/> kept in the delivery log.</summary>
    public static SendOutcome Outcome(HttpResponseMessage response, double latencyMs, byte[]? detail, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 => new SendOutcome(SendResult.Delivered, latencyMs, status, null, detail),
            410 => new SendOutcome(SendResult.Gone, latencyMs, status, Describe(response.StatusCode), detail) { GoneReason = GoneReason },
            _ => new SendOutcome(SendResult.Retry, latencyMs, status, Describe(response.StatusCode), detail,
                status is 429 or 503 ? RetryAfter(response, now) : null),
        };
    }

    /// <summary>
    /// Why an attempt got no answer, in plain words: its timeout, the SSRF guard, an unreachable host; null for an
    /// exception that is not the far side's fault (the node stopping, a bug), which must not be swallowed.
    /// </summary>
    public static string? NoAnswer(Exception e, int timeoutSeconds, bool stopping) => e switch
    {
        OperationCanceledException when !stopping => $"No answer within {timeoutSeconds} s (timeout).",
        HttpRequestException when Find<BlockedTargetException>(e) is { } blocked => $"Blocked before connecting: {blocked.Message}",
        HttpRequestException => $"Could not reach the receiver: {e.Message}",
        _ => null,
    };

    public static string Describe(HttpStatusCode status) => $"The receiver answered {(int)status} {status}; only 2xx counts as delivered.";

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? RetryAfterHeader.Parse(values.FirstOrDefault(), now) : null;

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }
}
