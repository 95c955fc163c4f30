namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public override async Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        await _writer.EnterAsync(cancellationToken);
        return new SqliteStoreSession(this, NowMs(), _writer);
    }
}
