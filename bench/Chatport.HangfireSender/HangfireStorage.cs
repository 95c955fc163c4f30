using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace Chatport.HangfireSender;

/// <summary>
/// Hangfire's configuration: the 1.8 recommended serializer settings, and the storage tuned for a queue that is
/// never empty for long rather than for an idle one (both storages' defaults poll an empty queue every 15 s).
/// </summary>
internal static class HangfireStorage
{
    /// <summary>
    /// How often a worker that found its queue empty looks again. Hangfire.Storage.SQLite has no other wake-up, so
    /// this bounds how long a worker idles after a short lull; Hangfire.PostgreSql also wakes the workers of this
    /// process on each enqueue. 100 ms: twice the PostgreSQL storage's suggested minimum (50 ms).
    /// </summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(100);

    public static void Configure(IGlobalConfiguration configuration, string storage, string connection)
    {
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        if (storage == "postgres")
        {
            // The storage's own fetch (UPDATE … FOR UPDATE SKIP LOCKED in a native transaction, its default) with a
            // sliding invisibility timeout: a job that runs long keeps its claim instead of being fetched twice.
            // EnableLongPolling (LISTEN/NOTIFY) stays off: it opens a listening connection per fetch and only helps
            // servers in other processes, while the enqueues here wake this process's workers directly.
            configuration.UsePostgreSqlStorage(
                c => c.UseNpgsqlConnection(connection),
                new PostgreSqlStorageOptions
                {
                    QueuePollInterval = QueuePollInterval,
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                    PrepareSchemaIfNecessary = true,
                });
        }
        else
        {
            // WAL journal (the storage's default), a pool of 20 connections (its default, one per worker).
            configuration.UseSQLiteStorage(connection, new SQLiteStorageOptions
            {
                QueuePollInterval = QueuePollInterval,
            });
        }
    }
}
