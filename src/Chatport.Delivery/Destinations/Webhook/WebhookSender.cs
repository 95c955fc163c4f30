using System.Buffers;
using System.Globalization;
using System.Net;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Safety;
using Chatport.Delivery.Signing;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>
/// POSTs the conversation's exact JSON, signed with the Standard Webhooks headers (both secrets during a
/// rotation), with the conversation's identity and version in headers; no redirects; the destination's
/// timeout; only the first 4 KiB of the answer is kept.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time)
{
    /// <summary>How much of a receiver's answer is kept in the delivery log.</summary>
    public const int ResponseExcerptBytes = SendOutcome.MaxDetailBytes;

    /// <summary>Said when a receiver answers 410 Gone, as the reason its destination is disabled.</summary>
    public const string GoneReason = "The receiver answered 410 Gone: it asks not to be called again.";

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var prepared = PreparedWebhook.Of(destination);
        var config = prepared.Config;
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, prepared.Url);
        var body = new ReadOnlyMemoryContent(delivery.Body);
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Content = body;
        var timestamp = now.ToUnixTimeSeconds();
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", WebhookHeaderNames.UserAgent);
        headers.TryAddWithoutValidation(WebhookHeaders.Id, delivery.Id);
        headers.TryAddWithoutValidation(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaders.Signature,
            WebhookSigner.SignatureHeader(delivery.Id, timestamp, delivery.Body.Span, prepared.SecretsAt(now)));
        headers.TryAddWithoutValidation(WebhookHeaderNames.AccountId, delivery.AccountId.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationId, delivery.ChatId.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationVersion, delivery.Version.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationKinds, delivery.Kinds.Count == 1 ? delivery.Kinds[0] : string.Join(',', delivery.Kinds));
        headers.TryAddWithoutValidation(WebhookHeaderNames.Attempt, attempt.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in config.Headers ?? [])
        {
            headers.TryAddWithoutValidation(name, value);
        }

        // One source cancels the send: the destination's timeout (on the injected clock) or the host stopping.
        using var deadline = new CancellationTokenSource(prepared.Timeout, time);
        using var stopping = cancellationToken.UnsafeRegister(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var excerpt = response.Content.Headers.ContentLength == 0 ? [] : await ReadExcerptAsync(response, deadline.Token);
            var latency = time.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new SendOutcome(SendResult.Delivered, latency, status, null, excerpt),
                410 => new SendOutcome(SendResult.Gone, latency, status, Describe(response.StatusCode), excerpt) { GoneReason = GoneReason },
                _ => new SendOutcome(SendResult.Retry, latency, status, Describe(response.StatusCode), excerpt,
                    status is 429 or 503 ? RetryAfter(response, time.GetUtcNow()) : null),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(started, $"No answer within {prepared.TimeoutSeconds} s (timeout).");
        }
        catch (HttpRequestException e) when (Find<BlockedTargetException>(e) is { } blocked)
        {
            return Failure(started, $"Blocked before connecting: {blocked.Message}");
        }
        catch (HttpRequestException e)
        {
            return Failure(started, $"Could not reach the receiver: {e.Message}");
        }
    }

    private SendOutcome Failure(long started, string error) => new(SendResult.Retry, time.GetElapsedTime(started).TotalMilliseconds, null, error, null);

    private static async Task<byte[]> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseExcerptBytes);
        try
        {
            var total = 0;
            int read;
            while (total < ResponseExcerptBytes && (read = await stream.ReadAsync(buffer.AsMemory(total, ResponseExcerptBytes - total), cancellationToken)) > 0)
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

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? RetryAfterHeader.Parse(values.FirstOrDefault(), now) : null;

    private static string Describe(HttpStatusCode status) => $"The receiver answered {(int)status} {status}; only 2xx counts as delivered.";

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
