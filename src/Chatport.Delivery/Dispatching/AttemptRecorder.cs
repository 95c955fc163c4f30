using System.Threading.Channels;
using Chatport.Storage;
using Chatport.Storage.Deliveries;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Dispatching;

/// <summary>
/// Writes attempt results to the store in batches — one transaction for everything that finished
/// meanwhile — so recording keeps up with thousands of deliveries a second. A result not yet written when
/// the node dies is safe: the delivery's lease runs out and it is sent again with the same id.
/// </summary>
public sealed partial class AttemptRecorder(IChatportStore store, DestinationCache destinations, IOptions<DeliveryOptions> options, ILogger<AttemptRecorder> logger)
    : BackgroundService
{
    private readonly Channel<AttemptResult> _results = Channel.CreateUnbounded<AttemptResult>(new UnboundedChannelOptions { SingleReader = true });
    private long _pending;

    /// <summary>Results accepted but not yet written.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public void Record(AttemptResult result)
    {
        Interlocked.Increment(ref _pending);
        if (!_results.Writer.TryWrite(result))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AttemptResult>(options.Value.RecordBatchSize);
        var reader = _results.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(reader, batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: write what is left, so a clean shutdown loses no result.
        await DrainAsync(reader, batch, CancellationToken.None);
    }

    private async Task DrainAsync(ChannelReader<AttemptResult> reader, List<AttemptResult> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < options.Value.RecordBatchSize && reader.TryRead(out var result))
            {
                batch.Add(result);
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await store.RecordAttemptsAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Leases will run out and these deliveries will be sent again: at least once, never lost.
                LogFailed(logger, batch.Count, e);
            }
            foreach (var result in batch)
            {
                if (result.DisableDestination is not null)
                {
                    destinations.Invalidate(result.DestinationId);
                }
            }
            Interlocked.Add(ref _pending, -batch.Count);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Recording {Count} attempt result(s) failed; their deliveries will be sent again when their leases run out.")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);
}
