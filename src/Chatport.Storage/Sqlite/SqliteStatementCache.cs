using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// The writer connection's commands, one per SQL text, kept for the connection's life so each statement is
/// compiled once rather than on every use (compiling on each use would be about a sixth of a burst's CPU). Callers keep their
/// <c>await using</c>: disposing a cached command only clears its parameters for the next use.
/// </summary>
internal sealed class SqliteStatementCache
{
    private readonly Dictionary<string, CachedCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _raw = new(StringComparer.Ordinal);
    private SqliteConnection? _rawConnection;

    /// <summary>The compiled statement for <paramref name="sql"/> on <paramref name="connection"/>, reset and unbound.</summary>
    public SqliteRawStatement Raw(SqliteConnection connection, string sql)
    {
        if (_rawConnection != connection)
        {
            ReleaseRaw();
            _rawConnection = connection;
        }
        if (!_raw.TryGetValue(sql, out var statement))
        {
            statement = _raw[sql] = new SqliteRawStatement(connection, sql);
        }
        return statement.Start();
    }

    private void ReleaseRaw()
    {
        foreach (var statement in _raw.Values)
        {
            statement.Dispose();
        }
        _raw.Clear();
        _rawConnection = null;
    }

    /// <summary>The command for <paramref name="sql"/> on <paramref name="connection"/>, in <paramref name="transaction"/>, with no parameters.</summary>
    public SqliteCommand Get(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        if (!_commands.TryGetValue(sql, out var command) || command.Connection != connection)
        {
            command?.Release();
            command = new CachedCommand(sql, connection);
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Finalizes every statement: call before the connection closes.</summary>
    public void Clear()
    {
        ReleaseRaw();
        foreach (var command in _commands.Values)
        {
            command.Release();
        }
        _commands.Clear();
    }

    private sealed class CachedCommand : SqliteCommand
    {
        private bool _released;

        public CachedCommand(string sql, SqliteConnection connection)
            : base(sql, connection)
        {
        }

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
                return;
            }
            // Kept: the compiled statements stay for the next use; only this use's values go.
            Parameters.Clear();
            Transaction = null;
        }
    }
}
