using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// The schema, as numbered steps applied once each, in order, inside one write transaction
/// (<c>BEGIN IMMEDIATE</c>, so two processes starting on one file cannot both apply a step).
/// Add a step at the end; never edit one that has shipped.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        // 1: accounts
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            plan TEXT NOT NULL CHECK (plan IN ('free', 'pro')),
            inactivity_timeout_seconds INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,
    ];

    public static int Latest => Steps.Length;

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at INTEGER NOT NULL
            );
            """, cancellationToken);

        await using var current = connection.CreateCommand();
        current.Transaction = transaction;
        current.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        var applied = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (applied > Steps.Length)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {applied}, newer than this build of Chatport knows ({Steps.Length}). Upgrade Chatport.");
        }

        for (var version = applied + 1; version <= Steps.Length; version++)
        {
            await ExecuteAsync(connection, transaction, Steps[version - 1], cancellationToken);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, unixepoch('subsec') * 1000)", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
