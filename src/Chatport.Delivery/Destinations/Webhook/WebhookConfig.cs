namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>What a <c>webhook</c> destination keeps in its config: the seed's POST hook, done properly.</summary>
/// <param name="Url">Where to POST (http or https).</param>
/// <param name="Headers">Extra request headers (an <c>Authorization</c> for a CRM, say).</param>
public sealed record WebhookConfig(string Url, Dictionary<string, string>? Headers = null)
{
    public const string Kind = "webhook";
}

/// <summary>A webhook's signing secrets: the current one, and during a rotation the one before it.</summary>
/// <param name="PreviousSecretExpiresAt">Epoch ms until which <paramref name="PreviousSecret"/> signs too.</param>
public sealed record WebhookSecrets(string Secret, string? PreviousSecret = null, long? PreviousSecretExpiresAt = null);
