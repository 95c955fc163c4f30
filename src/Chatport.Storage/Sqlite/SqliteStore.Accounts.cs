using Chatport.Storage.Accounts;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    /// <summary>Reads the account before and after the upsert, in one write transaction: SQLite has no <c>xmax</c> to tell.</summary>
    public override async Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
        var existed = await ReadAsync() is not null;
        await using (var upsert = new SqliteCommand(UpsertAccountSql, connection, transaction))
        {
            BindAccountChange(upsert, change);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        var account = await ReadAsync() ?? throw new InvalidOperationException($"Account {change.Id} vanished inside its own transaction.");
        await transaction.CommitAsync(cancellationToken);
        return (account, !existed);

        async Task<Account?> ReadAsync()
        {
            await using var read = new SqliteCommand(AccountByIdSql, connection, transaction);
            return await ReadAccountAsync(read, change.Id, cancellationToken);
        }
    }
}
