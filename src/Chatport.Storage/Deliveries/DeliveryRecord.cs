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
public sealed record DeliveryQuery(long AccountId, string? Status = null, string? DestinationId = null, string? Before = null, int Limit = 50);

/// <summary>Which deliveries of a destination to send again.</summary>
public sealed record ReplayFilter(DateTimeOffset? Since, DateTimeOffset? Until, string? Status);

/// <summary>The queue as the metrics see it.</summary>
public sealed record QueueStats(long Pending, DateTimeOffset? OldestPendingCreatedAt);
