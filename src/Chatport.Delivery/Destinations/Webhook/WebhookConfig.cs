namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>What a <c>webhook</c> destination keeps in its config: the seed's POST hook, done properly.</summary>
/// <param name="Url">Where to POST (http or https).</param>
/// <param name="TimeoutSeconds">How long to wait for the receiver's answer (default 15).</param>
/// <param name="Headers">Extra request headers (an <c>Authorization</c> for a CRM, say).</param>
/// <param name="RetrySchedule">Delays between attempts ("0", "5s", "5m", "2h"…); null for the default.</param>
public sealed record WebhookConfig(
    string Url,
    int TimeoutSeconds = WebhookConfig.DefaultTimeoutSeconds,
    Dictionary<string, string>? Headers = null,
    List<string>? RetrySchedule = null)
{
    public const string Kind = "webhook";
    public const int DefaultTimeoutSeconds = 15;
    public const int MaxTimeoutSeconds = 60;
}
