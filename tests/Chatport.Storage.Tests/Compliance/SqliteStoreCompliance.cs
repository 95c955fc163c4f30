using System.Data.Common;
using Chatport.Storage;
using Chatport.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Compliance;

/// <summary>The compliance suite on a real SQLite file in a fresh temp folder per test.</summary>
public sealed class SqliteStoreCompliance : StoreCompliance
{
    private readonly TempDir _dir = new();

    protected override bool OneNodeOnly => true;

    protected override async Task<IChatportStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var store = SqliteStore.ForDataDir(_dir.Path, time);
        await store.MigrateAsync();
        return store;
    }

    protected override async Task<DbConnection> OpenDatabaseAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dir.Path, "chatport.db"),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task<IChatportStore> ReopenStoreAsync(FakeTimeProvider time)
    {
        var store = SqliteStore.ForDataDir(_dir.Path, time);
        await store.MigrateAsync();
        return store;
    }

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
