using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    // SQLite has one writer at a time. Queueing writers here, rather than letting them spin on
    // SQLITE_BUSY, keeps latency fair and predictable within this process.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock now
            return new SqliteStoreSession(connection, transaction, NowMs(), _writer);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            _writer.Release();
            throw;
        }
    }
}
