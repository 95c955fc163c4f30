namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public async Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        var (connection, transaction) = await _writer.EnterAsync(cancellationToken);
        return new SqliteStoreSession(connection, transaction, NowMs(), _writer);
    }
}
