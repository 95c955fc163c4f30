using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public async Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM destinations WHERE id = @id AND account_id = @account", connection, transaction);
        delete.Parameters.AddText("id", id);
        delete.Parameters.AddBigint("account", accountId);
        var deleted = await delete.ExecuteNonQueryAsync() == 1;
        if (deleted)
        {
            await using var pending = new NpgsqlCommand(
                "DELETE FROM deliveries WHERE destination_id = @id AND status = 'pending'", connection, transaction);
            pending.Parameters.AddText("id", id);
            await pending.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return deleted;
    }
}
