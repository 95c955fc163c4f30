using System.Text;
using Chatport.Application.Deliveries;
using Chatport.Storage.Deliveries;

namespace Chatport.Deliveries;

/// <summary>One delivery in the log.</summary>
internal sealed record DeliveryResponse(
    string Id,
    long AccountId,
    string DestinationId,
    long ChatId,
    int Version,
    IReadOnlyList<string> Kinds,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<AttemptResponse>? AttemptLog)
{
    public static DeliveryResponse From(DeliveryRecord d, IReadOnlyList<AttemptRecord>? attempts = null) => new(
        d.Id, d.AccountId, d.DestinationId, d.ChatId, d.Version, d.Kinds, d.Status, d.Attempts, d.CreatedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastAttemptAt, d.LastStatusCode, d.LastError,
        attempts?.Select(AttemptResponse.From).ToList());
}

/// <summary>One attempt: when, what the receiver said, how long it took, the first 4 KiB of its answer.</summary>
internal sealed record AttemptResponse(int Number, DateTimeOffset At, int? StatusCode, double LatencyMs, string? Error, string? Response)
{
    public static AttemptResponse From(AttemptRecord a) => new(
        a.Number, a.At, a.StatusCode, Math.Round(a.LatencyMs, 1), a.Error, a.Response is { } r ? Encoding.UTF8.GetString(r) : null);
}

/// <summary>A page of the delivery log; pass <see cref="Next"/> as <c>before</c> for the next one.</summary>
internal sealed record DeliveryList(IReadOnlyList<DeliveryResponse> Items, string? Next);

/// <summary><c>GET /v1/accounts/{accountId}/stats</c>: the live view, totals first, then one entry per destination.</summary>
internal sealed record LiveResponse(
    DateTimeOffset ReadAt,
    int WindowSeconds,
    long ConversationsLast5Minutes,
    long ConversationsLast60Minutes,
    long Pending,
    DateTimeOffset? OldestPendingCreatedAt,
    long? OldestPendingAgeSeconds,
    long Succeeded,
    long Failed,
    double PerSecond,
    IReadOnlyList<LiveDestinationResponse> Destinations)
{
    public static LiveResponse From(LiveView v) => new(
        v.ReadAt, v.WindowSeconds, v.ConversationsLast5Minutes, v.ConversationsLast60Minutes, v.Pending, v.OldestPendingCreatedAt,
        v.OldestPendingAgeSeconds, v.Succeeded, v.Failed, v.PerSecond,
        [.. v.Destinations.Select(d => new LiveDestinationResponse(
            d.DestinationId, d.Name, d.Kind, d.Enabled, d.Pending, d.OldestPendingCreatedAt, d.OldestPendingAgeSeconds, d.Succeeded, d.Failed, d.PerSecond))]);
}

/// <summary>One destination in the live view: its queue now and its deliveries settled in the window.</summary>
internal sealed record LiveDestinationResponse(
    string Id, string? Name, string Kind, bool Enabled, long Pending, DateTimeOffset? OldestPendingCreatedAt, long? OldestPendingAgeSeconds,
    long Succeeded, long Failed, double PerSecond);
