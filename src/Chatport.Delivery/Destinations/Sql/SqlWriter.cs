using System.Data.Common;
using System.Globalization;
using static Chatport.Delivery.Destinations.Sql.SqlTables;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// Writes conversations into the <c>sql</c> kind's tables (<see cref="SqlTables"/>) over an open connection: creates
/// them on first use, then writes batches of conversations (<see cref="SqlRows"/>), each batch in one transaction.
/// </summary>
internal sealed class SqlWriter(DbConnection connection, bool postgres, SqlTables tables, int timeoutSeconds)
{
    private string Bool => postgres ? "BOOLEAN" : "INTEGER";

    private string Columns((string Column, string Field, Kind Kind)[] columns) =>
        string.Join(", ", columns.Select(c => $"{Quoted(c.Column)} {c.Kind switch { Kind.Boolean => Bool, Kind.Number => "BIGINT", _ => "TEXT" }}"));

    /// <summary>
    /// Creates the tables when they are not there and records the schema version (once). A SQLite file is put in WAL
    /// mode, so that someone reading the export does not hold its writes up.
    /// </summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (!postgres)
        {
            await using var wal = Command(null, "PRAGMA journal_mode=WAL");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        string[] statements =
        [
            $"CREATE TABLE IF NOT EXISTS {tables["schema"]} (\"version\" INTEGER NOT NULL)",
            $"""
             CREATE TABLE IF NOT EXISTS {tables["conversations"]} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL,
               "version" INTEGER NOT NULL, "kinds" TEXT NOT NULL, "begin_at" BIGINT, "end_at" BIGINT, {Columns(ChannelColumns)},
               PRIMARY KEY ("account_id", "chat_id"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {tables["visitors"]} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, {Columns(VisitorColumns)},
               PRIMARY KEY ("account_id", "chat_id"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {tables["messages"]} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "position" INTEGER NOT NULL,
               {Columns(MessageColumns)}, PRIMARY KEY ("account_id", "chat_id", "position"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {tables["paths"]} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "position" INTEGER NOT NULL,
               "url" TEXT, "title" TEXT, PRIMARY KEY ("account_id", "chat_id", "position"))
             """,
            $"""
             CREATE TABLE IF NOT EXISTS {tables["variables"]} ("account_id" BIGINT NOT NULL, "chat_id" BIGINT NOT NULL, "key" TEXT NOT NULL,
               "label" TEXT, "value" TEXT, "value_type" TEXT NOT NULL, PRIMARY KEY ("account_id", "chat_id", "key"))
             """,
        ];
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in statements)
        {
            await using var create = Command(transaction, sql);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var count = Command(transaction, $"SELECT COUNT(*) FROM {tables["schema"]}"))
        {
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                await using var insert = Command(transaction, $"INSERT INTO {tables["schema"]} (\"version\") VALUES ({SchemaVersion})");
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a batch of conversations in one transaction. On PostgreSQL the whole batch goes to the server at once
    /// (one round trip); on SQLite, in process, each statement text is prepared once per batch. Returns, per
    /// conversation, whether it was written (false: the table held a newer version, and nothing of it changed).
    /// </summary>
    public async Task<bool[]> WriteAsync(IReadOnlyList<SqlRows> conversations, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var written = connection.CanCreateBatch
            ? await WriteBatchedAsync(transaction, conversations, cancellationToken)
            : await WriteOneByOneAsync(transaction, conversations, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private async Task<bool[]> WriteBatchedAsync(DbTransaction transaction, IReadOnlyList<SqlRows> conversations, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        batch.Timeout = timeoutSeconds;
        var upserts = new int[conversations.Count];
        for (var i = 0; i < conversations.Count; i++)
        {
            upserts[i] = batch.BatchCommands.Count;
            foreach (var statement in conversations[i].Statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                foreach (var parameter in statement.Parameters)
                {
                    command.Parameters.Add(Parameter(command.CreateParameter(), parameter));
                }
                batch.BatchCommands.Add(command);
            }
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return upserts.Select(at => batch.BatchCommands[at].RecordsAffected > 0).ToArray();
    }

    private async Task<bool[]> WriteOneByOneAsync(DbTransaction transaction, IReadOnlyList<SqlRows> conversations, CancellationToken cancellationToken)
    {
        var prepared = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            var written = new bool[conversations.Count];
            for (var i = 0; i < conversations.Count; i++)
            {
                var statements = conversations[i].Statements;
                for (var s = 0; s < statements.Count; s++)
                {
                    if (!prepared.TryGetValue(statements[s].Sql, out var command))
                    {
                        command = Command(transaction, statements[s].Sql);
                        prepared[statements[s].Sql] = command;
                    }
                    // The same text has the same parameters, in the same order: only their values change.
                    var parameters = statements[s].Parameters;
                    if (command.Parameters.Count == parameters.Length)
                    {
                        for (var p = 0; p < parameters.Length; p++)
                        {
                            command.Parameters[p].Value = parameters[p].Value ?? DBNull.Value;
                        }
                    }
                    else
                    {
                        command.Parameters.Clear();
                        foreach (var parameter in parameters)
                        {
                            command.Parameters.Add(Parameter(command.CreateParameter(), parameter));
                        }
                    }
                    var rows = await command.ExecuteNonQueryAsync(cancellationToken);
                    if (s == 0)
                    {
                        written[i] = rows > 0;
                    }
                }
            }
            return written;
        }
        finally
        {
            foreach (var command in prepared.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static DbParameter Parameter(DbParameter parameter, SqlRows.Parameter value)
    {
        parameter.ParameterName = "@" + value.Name;
        parameter.DbType = value.Type;
        parameter.Value = value.Value ?? DBNull.Value;
        return parameter;
    }

    private DbCommand Command(DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        return command;
    }
}
