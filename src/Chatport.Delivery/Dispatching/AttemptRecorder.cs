using System.Threading.Channels;
using Chatport.Storage;
using Chatport.Storage.Deliveries;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Dispatching;

/// <summary>
/// Writes attempt results to the store in batches — one transaction for everything that finished
/// meanwhile — so recording keeps up with thousands of deliveries a second. A result not yet written when
/// the node dies is safe: the delivery's lease runs out and it is sent again with the same id. While results
/// wait here the dispatcher keeps their deliveries marked as its own (see <see cref="Written"/>), so a poller
/// never sends a delivery again just because its result is not in the store yet; and when too many wait,
/// senders pause (<see cref="WaitForRoomAsync"/>) rather than let memory grow with the backlog. When the store
/// cannot take them for now (a full disk, a database that is down), the batch is written again, every
/// <see cref="RetryDelay"/> at most, until it can: the deliveries are then neither sent again nor held up for their
/// leases, and the senders wait meanwhile.
/// </summary>
public sealed partial class AttemptRecorder(
    IChatportStore store, DestinationCache destinations, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<AttemptRecorder> logger)
    : BackgroundService
{
    /// <summary>The longest wait between two tries of a batch the store could not take.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<(AttemptResult Result, bool Last)> _results =
        Channel.CreateUnbounded<(AttemptResult, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _roomLock = new();
    private TaskCompletionSource _room = Completed();
    private long _pending;

    /// <summary>Results accepted but not yet written.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Called with the delivery ids whose last result of a processing round is now in the store.</summary>
    public event Action<IReadOnlyList<string>>? Written;

    /// <param name="last">True for the last result of this round of processing the delivery.</param>
    public void Record(AttemptResult result, bool last)
    {
        if (Interlocked.Increment(ref _pending) >= options.Value.MaxUnwrittenResults)
        {
            lock (_roomLock)
            {
                if (_room.Task.IsCompleted)
                {
                    _room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
        _results.Writer.TryWrite((result, last));
    }

    /// <summary>Returns at once unless too many results wait to be written; then when the backlog has shrunk.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task room;
        lock (_roomLock)
        {
            room = _room.Task;
        }
        return room.IsCompleted ? Task.CompletedTask : room.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(AttemptResult Result, bool Last)>(options.Value.RecordBatchSize);
        var reader = _results.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(reader, batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: write what is left, so a clean shutdown loses no result (once: no waiting for the store now).
        await DrainAsync(reader, batch, stoppingToken);
    }

    private async Task DrainAsync(ChannelReader<(AttemptResult Result, bool Last)> reader, List<(AttemptResult Result, bool Last)> batch,
        CancellationToken stoppingToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < options.Value.RecordBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            if (batch.Count == 0)
            {
                return;
            }
            await WriteAsync(batch.ConvertAll(item => item.Result), stoppingToken);
            var finished = new List<string>(batch.Count);
            foreach (var (result, last) in batch)
            {
                if (result.DisableDestination is not null)
                {
                    destinations.Invalidate(result.DestinationId);
                }
                if (last)
                {
                    finished.Add(result.DeliveryId);
                }
            }
            Written?.Invoke(finished);
            if (Interlocked.Add(ref _pending, -batch.Count) < options.Value.MaxUnwrittenResults / 2)
            {
                lock (_roomLock)
                {
                    _room.TrySetResult();
                }
            }
        }
    }

    /// <summary>
    /// Writes the results, again and again while the store says it cannot take them for now (and the node is not
    /// stopping). Any other failure, or a stop, gives up: the leases run out and the deliveries are sent again — at
    /// least once, never lost.
    /// </summary>
    private async Task WriteAsync(List<AttemptResult> results, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var retrying = false;
        while (true)
        {
            try
            {
                await store.RecordAttemptsAsync(results, CancellationToken.None);
                if (retrying)
                {
                    LogRecovered(logger, results.Count);
                }
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && StoreUnavailable.Is(e) && !stoppingToken.IsCancellationRequested)
            {
                if (!retrying)
                {
                    LogRetrying(logger, results.Count, StoreUnavailable.Describe(e));
                    retrying = true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, results.Count, e);
                return;
            }
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                LogGaveUp(logger, results.Count);
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryDelay.Ticks));
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    [LoggerMessage(201, LogLevel.Error, "Recording {Count} attempt result(s) failed; their deliveries will be sent again when their leases run out.")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(202, LogLevel.Warning, "The store cannot take {Count} attempt result(s) for now ({Reason}); writing them again until it can.")]
    private static partial void LogRetrying(ILogger logger, int count, string reason);

    [LoggerMessage(203, LogLevel.Information, "The store took the {Count} attempt result(s) it had refused; sending goes on.")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(204, LogLevel.Warning, "Stopping while the store refused {Count} attempt result(s); their deliveries will be sent again when their leases run out.")]
    private static partial void LogGaveUp(ILogger logger, int count);
}
