namespace Chatport.Tracking;

/// <summary>
/// What the tracker computes for a finished chat (docs/architecture.md, "The tracker's rules"). Times are epoch
/// milliseconds; durations are whole seconds, rounded down.
/// </summary>
public sealed record ChatMetrics(
    long BeginAt,
    long EndAt,
    bool IsChat,
    bool IsMissed,
    bool IsTriggered,
    bool IsOffline,
    bool IsCompleted,
    bool IsDropped,
    long Duration,
    long AvgResponse,
    long FirstResponse,
    long MessagesCount,
    long WordsCount);
