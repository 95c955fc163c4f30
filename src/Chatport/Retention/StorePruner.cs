using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Microsoft.Extensions.Options;

namespace Chatport.Retention;

/// <summary>
/// Forgets what is older than <see cref="RetentionOptions.Period"/>: live events (an event id sent again after that is
/// new, not a duplicate) and the attempt log of deliveries made before then (their status and last error stay, and
/// conversations stay whole). In batches, until nothing older is left.
/// </summary>
internal sealed partial class StorePruner(IChatportStore store, TimeProvider time, IOptions<RetentionOptions> options, ILogger<StorePruner> logger)
{
    /// <summary>One pass; returns how many events and attempts went.</summary>
    public async Task<(long Events, long Attempts)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.Period;
        var bound = DeliveryIds.FirstAt(before);
        long events = 0, attempts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (e, a) = await store.PruneAsync(before, bound, options.Value.BatchSize, cancellationToken);
            events += e;
            attempts += a;
            if (e < options.Value.BatchSize && a < options.Value.BatchSize)
            {
                break;
            }
        }
        if (events + attempts > 0)
        {
            LogPruned(logger, events, attempts, options.Value.Period.TotalDays);
        }
        return (events, attempts);
    }

    [LoggerMessage(901, LogLevel.Information, "Forgot {Events} event(s) and {Attempts} delivery attempt(s) older than {Days} day(s).")]
    private static partial void LogPruned(ILogger logger, long events, long attempts, double days);
}
