namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public async Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var deleted = await session.ExecuteAsync(
            "DELETE FROM destinations WHERE id = $id AND account_id = $account", cancellationToken, ("$id", id), ("$account", accountId)) == 1;
        if (deleted)
        {
            await session.ExecuteAsync(
                "DELETE FROM deliveries WHERE destination_id = $id AND status = 'pending'", cancellationToken, ("$id", id));
        }
        await session.CommitAsync(cancellationToken);
        return deleted;
    }
}
