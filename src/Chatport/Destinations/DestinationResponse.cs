using Chatport.Delivery.Destinations.Webhook;
using Chatport.Delivery.Retries;
using Chatport.Storage.Destinations;

namespace Chatport.Destinations;

/// <summary>A destination as the API shows it; <see cref="Secret"/> only right after it was made or rotated.</summary>
public sealed record DestinationResponse(
    string Id,
    long AccountId,
    string Kind,
    string? Name,
    string Url,
    IReadOnlyList<string> Kinds,
    bool Enabled,
    string? DisabledReason,
    int TimeoutSeconds,
    IReadOnlyList<string> RetrySchedule,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? FailingSince,
    string? Secret)
{
    public static DestinationResponse From(Destination d, bool showSecret = false)
    {
        var config = WebhookConfigJson.Deserialize(d.Config);
        return new DestinationResponse(
            d.Id, d.AccountId, d.Kind, d.Name, config.Url, d.Kinds, d.Enabled, d.DisabledReason, config.TimeoutSeconds,
            config.RetrySchedule is { Count: > 0 } schedule ? schedule : Delivery.Retries.RetrySchedule.Default.ToStrings(),
            config.Headers ?? [], d.CreatedAt, d.UpdatedAt, d.LastSuccessAt, d.FailingSince,
            showSecret ? d.Secret : null);
    }
}

/// <summary>What the receiver answered to a test send.</summary>
public sealed record TestResult(bool Succeeded, int? StatusCode, double LatencyMs, string? Error, string? Response, string WebhookId);

/// <summary>How many deliveries a replay queued again.</summary>
public sealed record ReplayResult(int Replayed);
