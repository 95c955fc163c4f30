using System.Data.Common;
using System.Globalization;

namespace Chatport.Storage.Relational;

/// <summary>
/// Applies a dialect's numbered schema steps once each, in order, recording each in <c>schema_migrations</c>, inside
/// the transaction the dialect began and locked so that two processes starting at once cannot both apply a step
/// (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: an advisory lock). A database that a newer build migrated further is
/// refused, not touched.
/// </summary>
internal static class SchemaMigrator
{
    /// <param name="transaction">The dialect's transaction, committed here once every step is applied.</param>
    /// <param name="migrationsTableSql">The dialect's <c>CREATE TABLE IF NOT EXISTS schema_migrations</c>.</param>
    /// <param name="steps">Step 1 first; a step is never edited once shipped, only added at the end.</param>
    /// <param name="now">Epoch ms, recorded as each step's <c>applied_at</c>.</param>
    /// <param name="upTo">Stop after this step (tests build a database as an older Chatport left it); null for all.</param>
    public static async Task ApplyAsync(
        DbTransaction transaction, string migrationsTableSql, IReadOnlyList<string> steps, long now, int? upTo, CancellationToken cancellationToken)
    {
        await using (var table = Command(transaction, migrationsTableSql))
        {
            await table.ExecuteNonQueryAsync(cancellationToken);
        }
        int applied;
        await using (var current = Command(transaction, "SELECT coalesce(max(version), 0) FROM schema_migrations"))
        {
            applied = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        if (applied > steps.Count)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {applied}, newer than this build of Chatport knows ({steps.Count}). Upgrade Chatport.");
        }

        for (var version = applied + 1; version <= (upTo ?? steps.Count); version++)
        {
            await using (var step = Command(transaction, steps[version - 1]))
            {
                await step.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var record = Command(transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)");
            record.AddInteger("@version", version);
            record.AddBigint("@now", now);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static DbCommand Command(DbTransaction transaction, string sql)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The migration's transaction has ended.");
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
