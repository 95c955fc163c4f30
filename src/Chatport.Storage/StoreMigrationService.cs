using Microsoft.Extensions.Hosting;

namespace Chatport.Storage;

/// <summary>Applies the store's migrations when the host starts (hosted services start before the server listens).</summary>
internal sealed class StoreMigrationService(IChatportStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
