using Chatport.Storage.Accounts;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    private const string AccountColumns = "id, name, plan, inactivity_timeout_seconds, created_at, updated_at";

    public async Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        return await ReadAccountAsync(connection, null, accountId, cancellationToken);
    }

    public async Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
        var existed = await ReadAccountAsync(connection, transaction, change.Id, cancellationToken) is not null;

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at)
            VALUES ($id, $name, $plan, $timeout, $now, $now)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, plan = excluded.plan,
                inactivity_timeout_seconds = excluded.inactivity_timeout_seconds, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$id", change.Id);
        command.Parameters.AddWithValue("$name", change.Name);
        command.Parameters.AddWithValue("$plan", AccountPlans.ToText(change.Plan));
        command.Parameters.AddWithValue("$timeout", change.InactivityTimeoutSeconds);
        command.Parameters.AddWithValue("$now", NowMs());
        await command.ExecuteNonQueryAsync(cancellationToken);

        var account = await ReadAccountAsync(connection, transaction, change.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Account {change.Id} vanished inside its own transaction.");
        await transaction.CommitAsync(cancellationToken);
        return (account, !existed);
    }

    /// <summary>One account by <c>$id</c>.</summary>
    internal const string AccountByIdSql = $"SELECT {AccountColumns} FROM accounts WHERE id = $id";

    internal static async Task<Account?> ReadAccountAsync(SqliteConnection connection, SqliteTransaction? transaction, long accountId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AccountByIdSql;
        return await ReadAccountAsync(command, accountId, cancellationToken);
    }

    /// <summary>Runs <see cref="AccountByIdSql"/> in <paramref name="command"/> (which may be one the writer keeps compiled).</summary>
    internal static async Task<Account?> ReadAccountAsync(SqliteCommand command, long accountId, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("$id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new Account(
            reader.GetInt64(0),
            reader.GetString(1),
            AccountPlans.Parse(reader.GetString(2)),
            reader.GetInt32(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
    }
}
