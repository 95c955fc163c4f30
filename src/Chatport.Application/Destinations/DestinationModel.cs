using Chatport.Delivery.Destinations;
using Chatport.Storage.Destinations;

namespace Chatport.Application.Destinations;

/// <summary>A destination with its kind's view of its settings; <see cref="SecretsShown"/> in the one answer that made or changed them.</summary>
public sealed record DestinationModel(Destination Destination, DestinationView View, bool SecretsShown);

/// <summary>What the far side answered to a test send.</summary>
/// <param name="WebhookId">The id the test was sent under (<c>webhook-id</c> for webhooks), so a receiver can find it in its log.</param>
public sealed record TestResult(bool Succeeded, int? StatusCode, double LatencyMs, string? Error, string? Response, string WebhookId);

/// <summary>The body of <c>POST …/destinations/{id}/replay</c>: which deliveries to send again.</summary>
/// <param name="Status">pending, succeeded or failed; absent for all.</param>
public sealed record ReplayRequest(DateTimeOffset? Since, DateTimeOffset? Until, string? Status);

/// <summary>How many deliveries a replay queued again.</summary>
public sealed record ReplayResult(int Replayed);
