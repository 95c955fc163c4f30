using System.Globalization;
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
    public const string GoneReason = HttpAnswers.GoneReason;

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
            var excerpt = await HttpAnswers.ReadStartAsync(response, ResponseExcerptBytes, deadline.Token);
            return HttpAnswers.Outcome(response, time.GetElapsedTime(started).TotalMilliseconds, excerpt, time.GetUtcNow());
        }
        catch (Exception e) when (HttpAnswers.NoAnswer(e, prepared.TimeoutSeconds, cancellationToken.IsCancellationRequested) is { } reason)
        {
            return Failure(started, reason);
        }
    }

    private SendOutcome Failure(long started, string error) => new(SendResult.Retry, time.GetElapsedTime(started).TotalMilliseconds, null, error, null);
}
