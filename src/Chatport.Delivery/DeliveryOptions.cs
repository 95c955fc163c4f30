namespace Chatport.Delivery;

/// <summary>Settings under <c>Chatport:Delivery</c>; every default is what a production node should run with.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Chatport:Delivery";

    /// <summary>Lets destinations reach loopback and private addresses (local set-ups and tests). Default false.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// How long a delivery belongs to this node without a heartbeat (default 30 s). The node renews the leases of what
    /// it holds every third of this, so a live node never loses work it is still sending, and a dead node's work is
    /// taken by the others within this long.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox is polled for due retries and unclaimed deliveries (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight to one destination at most (default 16); other destinations have their own.</summary>
    public int MaxConcurrencyPerDestination { get; set; } = 16;

    /// <summary>Deliveries held in memory per destination at most (default 5,000); the rest wait in the store.</summary>
    public int MaxQueuedPerDestination { get; set; } = 5_000;

    /// <summary>Attempt results written to the store in one transaction at most (default 5,000).</summary>
    public int RecordBatchSize { get; set; } = 5_000;

    /// <summary>
    /// Attempt results waiting to be written at most (default 20,000); past it, sending pauses until the store has
    /// caught up, so a backlog costs time, not memory.
    /// </summary>
    public int MaxUnwrittenResults { get; set; } = 20_000;

    /// <summary>How long a destination's settings are cached by the dispatcher (default 5 s).</summary>
    public TimeSpan DestinationCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A destination failing with no success for this long is disabled (default 5 days).</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);
}
