using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    // No writer lock here, unlike SQLite: sessions on several nodes run at once, and each locks only the rows it
    // writes (see PostgresStoreSession).
    public override async Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenNpgsqlAsync();
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
            return new PostgresStoreSession(this, connection, transaction, NowMs());
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
