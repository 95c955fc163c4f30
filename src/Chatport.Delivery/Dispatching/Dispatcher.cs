using System.Collections.Concurrent;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Telemetry;
using Chatport.Storage;
using Chatport.Storage.Deliveries;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Dispatching;

/// <summary>
/// Delivers the outbox. Fresh deliveries arrive through <see cref="Enqueue"/> right after their commit and
/// are sent at once; retries that fall due, deliveries whose node died, and replays are claimed from the
/// store with leases on every poll (each tick of the injected clock, or sooner on <see cref="Wake"/>).
/// Each destination has its own lane (see <see cref="DestinationLane"/>).
/// <para>
/// Leases: every delivery this node holds (queued or being sent) has its lease renewed every third of
/// <see cref="DeliveryOptions.LeaseDuration"/> (<see cref="RenewLeasesAsync"/>), so a live node keeps its work
/// however slow a destination is, and a dead node's work is claimed by the others within one lease. At start, a
/// store only this node uses gives back every lease the previous process held (<see cref="IDeliveryStore.RecoverLeasesAsync"/>).
/// On stop (<see cref="StopAsync"/>): nothing new is taken, the sends in flight finish within the host's shutdown
/// bound (past it they are cancelled), and what was not sent is released for another node or the next start.
/// </para>
/// </summary>
public sealed partial class Dispatcher(
    IChatportStore store,
    DeliveryProcessor processor,
    DestinationCache destinations,
    DestinationKinds kinds,
    AttemptRecorder recorder,
    DeliveryMetrics metrics,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<Dispatcher> logger) : BackgroundService, IDeliveryQueue
{
    private readonly ConcurrentDictionary<string, DestinationLane> _lanes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _inMemory = new(StringComparer.Ordinal);

    // Destinations with deliveries left unleased in the store because their lane was full.
    private readonly ConcurrentDictionary<string, byte> _spilled = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    // Cancelled when the node stops: lanes take no further delivery. Then _abort, if the stop runs out of time.
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _heartbeatStop = new();

    // Deliveries whose send was cancelled by the stop: released with the ones never sent.
    private readonly ConcurrentBag<string> _unsent = [];
    private Task _heartbeat = Task.CompletedTask;
    private int _subscribed;

    /// <summary>Leases renewed or released in one statement at most.</summary>
    internal const int LeaseBatchSize = 5_000;

    /// <summary>How long cancelled sends get to unwind once the shutdown bound has passed.</summary>
    internal static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether this node can take one more delivery for the destination now. When it cannot, the outbox writes the
    /// delivery unleased, and the poller claims it as soon as the lane has room.
    /// </summary>
    public bool HasRoom(string destinationId)
    {
        if (Lane(destinationId).FreeCapacity > 0)
        {
            return true;
        }
        _spilled[destinationId] = 0; // when the lane drains to half, wake the poller rather than wait for its tick
        return false;
    }

    public void Enqueue(IReadOnlyList<DeliveryWork> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            Post(delivery);
        }
    }

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>
    /// Takes back what the previous process left leased (where only this node uses the store) before the host goes on
    /// to start the server, so no delivery admitted by this process is among them.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Subscribe();
        try
        {
            if (await store.RecoverLeasesAsync(CancellationToken.None) is > 0 and var recovered)
            {
                LogRecovered(logger, recovered);
            }
        }
        catch (Exception e)
        {
            LogRecoverFailed(logger, e);
        }
        _heartbeat = RenewLeasesUntilStoppedAsync(_heartbeatStop.Token);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = store is IOutboxListener listener ? ListenAsync(listener, stoppingToken) : Task.CompletedTask;
        await PollUntilStoppedAsync(stoppingToken);
        await listening;
    }

    /// <summary>Other nodes' commits wake this one (LISTEN/NOTIFY); the regular poll covers any gap while reconnecting.</summary>
    private async Task ListenAsync(IOutboxListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await listener.ListenAsync(() =>
                {
                    Wake();
                    return Task.CompletedTask;
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(logger, e);
                try
                {
                    await Task.Delay(options.Value.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task PollUntilStoppedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(logger, e);
            }
            try
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(options.Value.PollInterval, time, tick.Token);
                var woken = _wake.WaitAsync(tick.Token);
                await Task.WhenAny(delay, woken);
                await tick.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Stops taking work, lets the sends in flight finish until <paramref name="cancellationToken"/> (the host's
    /// shutdown bound) — then cancels them — and releases the leases of every delivery it did not send. Results of
    /// what was sent are written by the <see cref="AttemptRecorder"/>, which stops after this service.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await base.StopAsync(cancellationToken); // the poller and the listener end: nothing new is claimed
        var lanes = _lanes.Values.ToList();
        var idle = Task.WhenAll(lanes.Select(lane => lane.IdleAsync()));
        try
        {
            await idle.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogStopBoundReached(logger);
            await _abort.CancelAsync();
            try
            {
                await idle.WaitAsync(AbortGrace, time);
            }
            catch (TimeoutException)
            {
            }
        }
        await _heartbeatStop.CancelAsync();
        await _heartbeat;
        var unsent = lanes.SelectMany(lane => lane.TakeQueued()).Select(d => d.Id).Concat(_unsent).Distinct(StringComparer.Ordinal).ToList();
        var released = 0;
        foreach (var chunk in unsent.Chunk(LeaseBatchSize))
        {
            try
            {
                released += await store.ReleaseLeasesAsync(chunk, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogReleaseFailed(logger, chunk.Length, e); // their leases run out instead
            }
        }
        LogStopped(logger, unsent.Count, released);
    }

    /// <summary>Renews the lease of every delivery this node holds; see the class summary.</summary>
    public async Task RenewLeasesAsync()
    {
        var now = time.GetUtcNow();
        foreach (var chunk in _inMemory.Keys.Chunk(LeaseBatchSize))
        {
            try
            {
                await store.RenewLeasesAsync(chunk, now, now + options.Value.LeaseDuration, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, chunk.Length, e);
            }
        }
    }

    /// <summary>Beats on a fixed schedule (start + n × a third of the lease), so a slow renewal does not push the next one back.</summary>
    private async Task RenewLeasesUntilStoppedAsync(CancellationToken stop)
    {
        // A timer on the injected clock, made once, beats at fixed multiples of the interval however long each
        // renewal takes; the semaphore holds at most one beat, so a renewal that fell behind is followed by one
        // renewal now, not a burst of catch-up ones.
        var interval = options.Value.LeaseDuration / 3;
        using var beats = new SemaphoreSlim(0, 1);
        using var timer = time.CreateTimer(static state =>
        {
            var semaphore = (SemaphoreSlim)state!;
            if (semaphore.CurrentCount == 0)
            {
                try
                {
                    semaphore.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Another beat got there first: one is enough.
                }
                catch (ObjectDisposedException)
                {
                    // The loop has ended.
                }
            }
        }, beats, interval, interval);
        while (true)
        {
            try
            {
                await beats.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RenewLeasesAsync();
        }
    }

    /// <summary>Claims what is due, destination by destination, as much as each lane has room for.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var destinationId in await store.DestinationsWithDueDeliveriesAsync(now, cancellationToken))
        {
            var room = Lane(destinationId).FreeCapacity;
            if (room == 0)
            {
                continue;
            }
            _spilled.TryRemove(destinationId, out _);
            var claimed = await store.ClaimDueDeliveriesAsync(destinationId, now, now + options.Value.LeaseDuration, room, cancellationToken);
            if (claimed.Count == room)
            {
                _spilled[destinationId] = 0; // more may wait: claim again when the lane has drained
            }
            foreach (var delivery in claimed)
            {
                Post(delivery);
            }
        }
        var stats = await store.GetQueueStatsAsync(cancellationToken);
        metrics.Queue(stats.Pending, stats.OldestPendingCreatedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0);
    }

    /// <summary>
    /// A delivery stays "ours" in memory from the moment it is queued until its result is in the store, so a
    /// poll never claims and sends it again while its result waits to be written.
    /// </summary>
    private void Subscribe()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            recorder.Written += ids =>
            {
                foreach (var id in ids)
                {
                    _inMemory.TryRemove(id, out byte _);
                }
            };
        }
    }

    private void Post(DeliveryWork delivery)
    {
        Subscribe();
        if (!_inMemory.TryAdd(delivery.Id, 0))
        {
            return; // already queued or in flight here
        }
        // Admitted when it was leased (the outbox's HasRoom, the poller's room): posted even if the lane filled since.
        Lane(delivery.DestinationId).Post(delivery);
    }

    // Looked up for every delivery: the lookup itself must not allocate (the factory's closure would, every call).
    private DestinationLane Lane(string destinationId) =>
        _lanes.TryGetValue(destinationId, out var lane) ? lane : _lanes.GetOrAdd(destinationId, NewLane);

    private DestinationLane NewLane(string destinationId) => new(
        options.Value.MaxQueuedPerDestination,
        () => MaxInFlight(destinationId),
        (delivery, abort) => processor.ProcessAsync(delivery, _stop.Token, abort),
        (delivery, recorded) =>
        {
            if (!recorded)
            {
                _inMemory.TryRemove(delivery.Id, out byte _);
                if (_stop.IsCancellationRequested)
                {
                    _unsent.Add(delivery.Id);
                }
            }
        },
        () =>
        {
            if (_spilled.ContainsKey(destinationId))
            {
                Wake();
            }
        },
        _stop.Token,
        _abort.Token);

    /// <summary>
    /// How many of a destination's deliveries go at once: what its kind asks for (<see cref="IDestinationKind.MaxInFlight"/>),
    /// once the destination has been read; until then, and for most kinds, MaxConcurrencyPerDestination.
    /// </summary>
    private int MaxInFlight(string destinationId) =>
        destinations.Cached(destinationId) is { } destination && kinds.Find(destination.Kind)?.MaxInFlight is { } wanted
            ? wanted
            : options.Value.MaxConcurrencyPerDestination;

    [LoggerMessage(13, LogLevel.Information, "Took back {Count} delivery lease(s) left by the previous process.")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(18, LogLevel.Warning, "Taking back the previous process's delivery leases failed; they will run out instead.")]
    private static partial void LogRecoverFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Stopping: deliveries still being sent when the shutdown timeout ran out were cancelled; they will be sent again.")]
    private static partial void LogStopBoundReached(ILogger logger);

    [LoggerMessage(15, LogLevel.Information, "Stopped delivering: {Unsent} delivery(ies) not sent here, {Released} lease(s) released for other nodes or the next start.")]
    private static partial void LogStopped(ILogger logger, int unsent, int released);

    [LoggerMessage(16, LogLevel.Warning, "Releasing {Count} lease(s) failed; they will run out instead.")]
    private static partial void LogReleaseFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Renewing {Count} lease(s) failed; trying again at the next heartbeat.")]
    private static partial void LogRenewFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Listening for outbox notifications failed; listening again (polling meanwhile).")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "Polling the delivery outbox failed; trying again at the next tick.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
