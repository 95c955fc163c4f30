using Microsoft.Extensions.Options;

namespace Chatport.Tracking;

/// <summary>Runs <see cref="InactivityTimeouts"/> on a timer of the injected clock.</summary>
internal sealed partial class InactivitySweeper(InactivityTimeouts timeouts, TimeProvider time, IOptions<InactivityOptions> options, ILogger<InactivitySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await timeouts.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(401, LogLevel.Error, "Checking chats for inactivity failed; trying again at the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
