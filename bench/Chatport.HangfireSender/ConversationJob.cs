using System.Globalization;
using System.Text;
using Hangfire;

namespace Chatport.HangfireSender;

/// <summary>
/// The Hangfire job: POSTs one conversation's JSON to the receiver with a typed <see cref="HttpClient"/> (its base
/// address and timeout set where it is registered). A non-2xx answer or a timeout throws, and Hangfire's
/// <see cref="AutomaticRetryAttribute"/> (10 attempts, its default) schedules it again. Hangfire makes one instance per
/// run through the host's service provider.
/// </summary>
public sealed class ConversationJob(HttpClient http, DeliveryLog log)
{
    /// <summary>The receiver reads the conversation's id from this header (as it does from Chatport's deliveries).</summary>
    public const string ConversationIdHeader = "chatport-conversation-id";

    [AutomaticRetry(Attempts = 10)]
    public async Task SendAsync(long conversationId, string json, CancellationToken cancellationToken)
    {
        log.Attempted();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add(ConversationIdHeader, conversationId.ToString(CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch
        {
            log.AttemptFailed();
            throw;
        }
        log.Delivered(conversationId);
    }
}
