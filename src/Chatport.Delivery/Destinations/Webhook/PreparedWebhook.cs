using System.Runtime.CompilerServices;
using Chatport.Delivery.Signing;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>
/// A webhook destination's config and secrets, parsed once per destination record rather than on every attempt.
/// Records come from the dispatcher's destination cache; a changed destination is a new record, so a new entry.
/// </summary>
internal sealed class PreparedWebhook
{
    private static readonly ConditionalWeakTable<Destination, PreparedWebhook> Prepared = new();

    private PreparedWebhook(Destination destination)
    {
        Config = WebhookConfigJson.Deserialize(destination.Config);
        Url = new Uri(Config.Url);
        Timeout = TimeSpan.FromSeconds(destination.TimeoutSeconds);
        TimeoutSeconds = destination.TimeoutSeconds;
        var secrets = WebhookConfigJson.DeserializeSecrets(destination.Secrets);
        _current = secrets is not null ? [WebhookSecret.Parse(secrets.Secret)] : [];
        _both = secrets?.PreviousSecret is { } previous ? [.. _current, WebhookSecret.Parse(previous)] : _current;
        _previousExpiresAt = secrets?.PreviousSecretExpiresAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private readonly WebhookSecret[] _current;
    private readonly WebhookSecret[] _both;
    private readonly DateTimeOffset? _previousExpiresAt;

    public WebhookConfig Config { get; }

    public Uri Url { get; }

    public TimeSpan Timeout { get; }

    public int TimeoutSeconds { get; }

    public static PreparedWebhook Of(Destination destination) =>
        Prepared.GetValue(destination, static d => new PreparedWebhook(d));

    /// <summary>The secrets that sign now: the current one, and the previous one until it expires.</summary>
    public IReadOnlyList<WebhookSecret> SecretsAt(DateTimeOffset now) => _previousExpiresAt > now ? _both : _current;
}
