using System.Collections.Concurrent;
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
/// </summary>
public sealed partial class Dispatcher(
    IChatportStore store,
    DeliveryProcessor processor,
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
    private CancellationToken _stopping;
    private int _subscribed;

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        Subscribe();
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
        options.Value.MaxConcurrencyPerDestination,
        processor.ProcessAsync,
        (delivery, recorded) =>
        {
            if (!recorded)
            {
                _inMemory.TryRemove(delivery.Id, out byte _);
            }
        },
        () =>
        {
            if (_spilled.ContainsKey(destinationId))
            {
                Wake();
            }
        },
        _stopping);

    [LoggerMessage(2, LogLevel.Warning, "Listening for outbox notifications failed; listening again (polling meanwhile).")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(1, LogLevel.Error, "Polling the delivery outbox failed; trying again at the next tick.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
