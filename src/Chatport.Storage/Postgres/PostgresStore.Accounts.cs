using Chatport.Storage.Accounts;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <summary>
    /// The upsert returns the row and whether it inserted it: <c>xmax</c> is 0 on a row version this statement
    /// inserted, and the updating transaction's id otherwise.
    /// </summary>
    private const string UpsertAccountReturningSql = UpsertAccountSql + "\nRETURNING " + AccountColumns + ", xmax = 0";

    /// <summary>One statement, so two nodes creating the same account race safely: one inserts, the other updates.</summary>
    public override async Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand(UpsertAccountReturningSql, connection);
        BindAccountChange(command, change);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"Upserting account {change.Id} returned no row.");
        }
        return (ReadAccount(reader), reader.GetBoolean(7));
    }
}
