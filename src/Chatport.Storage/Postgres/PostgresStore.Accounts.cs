using Chatport.Storage.Accounts;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string AccountColumns = "id, name, plan, inactivity_timeout_seconds, created_at, updated_at";

    public async Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        return await ReadAccountAsync(connection, null, accountId, cancellationToken);
    }

    public async Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default)
    {
        // One statement, so two nodes creating the same account race safely: one inserts, the other updates.
        // xmax is 0 on a row version this statement inserted, and the updating transaction's id otherwise.
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at)
            VALUES (@id, @name, @plan, @timeout, @now, @now)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, plan = excluded.plan,
                inactivity_timeout_seconds = excluded.inactivity_timeout_seconds, updated_at = excluded.updated_at
            RETURNING {AccountColumns}, xmax = 0
            """, connection);
        command.Parameters.AddBigint("id", change.Id);
        command.Parameters.AddText("name", change.Name);
        command.Parameters.AddText("plan", AccountPlans.ToText(change.Plan));
        command.Parameters.AddInteger("timeout", change.InactivityTimeoutSeconds);
        command.Parameters.AddBigint("now", NowMs());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"Upserting account {change.Id} returned no row.");
        }
        return (ReadAccount(reader), reader.GetBoolean(6));
    }

    internal static async Task<Account?> ReadAccountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long accountId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {AccountColumns} FROM accounts WHERE id = @id", connection, transaction);
        command.Parameters.AddBigint("id", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadAccount(reader) : null;
    }

    private static Account ReadAccount(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        AccountPlans.Parse(reader.GetString(2)),
        reader.GetInt32(3),
        Time(reader, 4),
        Time(reader, 5));
}
