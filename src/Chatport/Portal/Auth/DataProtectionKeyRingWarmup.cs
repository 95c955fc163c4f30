using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;

namespace Chatport.Portal.Auth;

/// <summary>
/// Loads Data Protection's key ring at start-up, after the store's migration (hosted services start in the order they
/// were added), in place of Data Protection's own warm-up: the store is read asynchronously
/// (<see cref="StoreXmlRepository.LoadAsync"/>), then the ring is built from that read without waiting on the
/// database — unless it has no usable key yet, when Data Protection makes and stores one (once per database).
/// A failure is logged, not fatal: the ring is read again at its first use.
/// </summary>
internal sealed partial class DataProtectionKeyRingWarmup(
    StoreXmlRepository repository, IKeyRingProvider keyRing, ILogger<DataProtectionKeyRingWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await repository.LoadAsync(cancellationToken);
            keyRing.GetCurrentKeyRing();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1101, LogLevel.Warning, "Loading the data protection key ring at start-up failed; it is loaded again at its first use.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
