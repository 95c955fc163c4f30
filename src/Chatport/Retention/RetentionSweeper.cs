using Microsoft.Extensions.Options;

namespace Chatport.Retention;

/// <summary>Runs <see cref="StorePruner"/> at start and then on a timer of the injected clock.</summary>
internal sealed partial class RetentionSweeper(StorePruner pruner, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await pruner.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(911, LogLevel.Warning, "Forgetting old events and attempts failed; trying again at the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
