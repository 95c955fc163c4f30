using System.Text;
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
