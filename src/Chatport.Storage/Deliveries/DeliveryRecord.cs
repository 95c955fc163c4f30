namespace Chatport.Storage.Deliveries;

/// <summary>A delivery as the log shows it.</summary>
public sealed record DeliveryRecord(
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
    string? LastError);

/// <summary>One attempt as the log shows it.</summary>
public sealed record AttemptRecord(int Number, DateTimeOffset At, int? StatusCode, double LatencyMs, string? Error, byte[]? Response);

/// <summary>A page of an account's deliveries, newest first.</summary>
/// <param name="From">Only deliveries created at or after this time.</param>
/// <param name="To">Only deliveries created before this time.</param>
public sealed record DeliveryQuery(
    long AccountId, string? Status = null, string? DestinationId = null, string? Before = null, int Limit = 50,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Which deliveries of a destination to send again.</summary>
public sealed record ReplayFilter(DateTimeOffset? Since, DateTimeOffset? Until, string? Status);

/// <summary>The queue as the metrics see it.</summary>
public sealed record QueueStats(long Pending, DateTimeOffset? OldestPendingCreatedAt);

/// <summary>What an account's deliveries and conversations did lately, as the live view shows it.</summary>
/// <param name="ConversationsSince">Conversations whose end (<c>endAt</c>) is at or after the query's <c>since</c>.</param>
/// <param name="ConversationsSinceEarlier">Conversations whose end is at or after the query's <c>conversationsSince</c>.</param>
/// <param name="Destinations">One row per destination of the account, by id.</param>
public sealed record LiveStats(long ConversationsSince, long ConversationsSinceEarlier, IReadOnlyList<DestinationLiveStats> Destinations);

/// <summary>One destination's queue now and what its deliveries did since the query's <c>since</c>.</summary>
/// <param name="Pending">Deliveries waiting to be sent or retried.</param>
/// <param name="OldestPendingCreatedAt">When the oldest of them was created; null when none waits.</param>
/// <param name="Succeeded">Deliveries whose last attempt, at or after <c>since</c>, delivered them.</param>
/// <param name="Failed">Deliveries whose last attempt, at or after <c>since</c>, dead-lettered them.</param>
public sealed record DestinationLiveStats(string DestinationId, long Pending, DateTimeOffset? OldestPendingCreatedAt, long Succeeded, long Failed);
