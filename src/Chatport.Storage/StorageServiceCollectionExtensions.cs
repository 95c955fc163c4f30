using Chatport.Storage.Postgres;
using Chatport.Storage.Sqlite;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatport.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>Chatport:Storage:Provider</c> and migrates it at start-up, before
    /// the server takes its first request.
    /// </summary>
    public static IHostApplicationBuilder AddChatportStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.DataDir = configuration["Chatport:DataDir"] is { Length: > 0 } dir ? dir : options.DataDir)
            .Validate(o => o.Provider is StorageProviders.Sqlite or StorageProviders.Postgres,
                "Chatport:Storage:Provider must be 'sqlite' or 'postgres'.")
            .Validate(o => o.Provider != StorageProviders.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Chatport:Storage:Provider 'postgres' needs Chatport:Storage:ConnectionString (a Npgsql connection string).")
            .Validate(o => o.CommandTimeout >= TimeSpan.FromSeconds(1) && o.ConnectTimeout >= TimeSpan.FromSeconds(1),
                "Chatport:Storage:CommandTimeout and ConnectTimeout must be at least one second.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IChatportStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            if (options.Provider == StorageProviders.Postgres)
            {
                return new PostgresStore(services.GetRequiredService<NpgsqlDataSource>(), time);
            }
            return options.ConnectionString is { Length: > 0 } connectionString
                ? new SqliteStore(connectionString, time)
                : SqliteStore.ForDataDir(options.DataDir, time);
        });
        builder.Services.AddSingleton(services => PostgresDataSource.Create(services.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddHostedService<StoreMigrationService>();
        return builder;
    }
}
