using Chatport.Application;
using Chatport.Delivery;
using Chatport.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatport.Hosting;

/// <summary>
/// The application services without the web host, for a command that works on the data directory (or the
/// configured PostgreSQL): the store, migrated, the destination kinds, the services of Chatport.Application and the
/// importer — no Kestrel, no dispatcher, no inactivity sweeper. What it stores waits in the outbox, due, until a
/// running node's dispatcher sends it. Settings come from the same places as <c>serve</c>'s.
/// </summary>
internal static class ChatportCommandHost
{
    public static async Task<IHost> BuildAsync(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddChatportOptions();
        builder.AddChatportStorage();
        builder.AddChatportDestinations();
        builder.Services.AddChatportApplication();
        builder.Services.AddSingleton<Sources.Import.ConversationImporter>();
        configure?.Invoke(builder);
        var host = builder.Build(); // not started: its hosted services (the migration service alone) stay idle
        await host.Services.GetRequiredService<IChatportStore>().MigrateAsync();
        return host;
    }
}
