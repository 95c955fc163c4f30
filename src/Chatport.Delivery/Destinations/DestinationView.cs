using System.Text.Json.Nodes;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// A kind's settings as API answers show them, flat beside the fields every kind has:
/// <c>{id, accountId, kind, name, …Target, kinds, enabled, disabledReason, timeoutSeconds, retrySchedule, …Options,
/// createdAt, updatedAt, lastSuccessAt, failingSince, lastError, …Secrets}</c>.
/// </summary>
/// <param name="Target">Where it sends (a webhook's <c>url</c>, a file's <c>path</c>).</param>
/// <param name="Options">How it sends (headers, format, template…).</param>
/// <param name="Secrets">Its secrets, masked (null) unless they are being revealed.</param>
public sealed record DestinationView(JsonObject Target, JsonObject Options, JsonObject Secrets);
