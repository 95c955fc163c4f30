using System.Diagnostics;

namespace Chatport.HangfireSender;

/// <summary>
/// What the jobs did, counted in this process: the first 2xx of each conversation (ids 1 to capacity − 1) and the
/// time of the latest one, every attempt, and the attempts that failed (and so were left to AutomaticRetry).
/// </summary>
public sealed class DeliveryLog(int capacity)
{
    private readonly int[] _delivered = new int[capacity];
    private long _distinct;
    private long _attempts;
    private long _failed;
    private long _repeats;
    private long _last2xx;

    /// <summary>Conversations that got a 2xx at least once.</summary>
    public long Distinct => Interlocked.Read(ref _distinct);

    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts that threw (a non-2xx, a timeout, a refused connection): each one is a retry Hangfire schedules.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>2xx answers for a conversation that already had one (a job run again).</summary>
    public long Repeats => Interlocked.Read(ref _repeats);

    /// <summary>The Stopwatch timestamp of the latest first 2xx.</summary>
    public long Last2xx => Interlocked.Read(ref _last2xx);

    public void Attempted() => Interlocked.Increment(ref _attempts);

    public void AttemptFailed() => Interlocked.Increment(ref _failed);

    public void Delivered(long conversationId)
    {
        if (conversationId <= 0 || conversationId >= _delivered.Length || Interlocked.Exchange(ref _delivered[conversationId], 1) == 1)
        {
            Interlocked.Increment(ref _repeats);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        long seen;
        while ((seen = Interlocked.Read(ref _last2xx)) < now && Interlocked.CompareExchange(ref _last2xx, now, seen) != seen)
        {
        }
        Interlocked.Increment(ref _distinct);
    }
}
