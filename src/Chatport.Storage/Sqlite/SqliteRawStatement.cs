using Chatport.Storage.Relational;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// One compiled statement of the writer connection, bound and stepped through SQLitePCL directly. Only the hottest
/// statements (a conversation's rows, its deliveries, each attempt's result, and what a batch of live events reads
/// and writes) use it: binding through <see cref="SqliteCommand"/> parameters allocated a parameter, a binder and a
/// boxed value per value per row, about a quarter of all bytes a burst allocated. Parameters are bound by position
/// (<c>?1</c>, <c>?2</c>…). Columns read as <see cref="SqliteDataReader"/> reads them (an integer as
/// <c>sqlite3_column_int64</c>, an <see cref="int"/> checked from it, text as UTF-8), so one row mapping
/// (<see cref="IRowValues"/>) serves both.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable, IRowValues
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Clears the previous values; bind this use's next.</summary>
    public SqliteRawStatement Start()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        return this;
    }

    public SqliteRawStatement Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public SqliteRawStatement Bind(int index, long? value) =>
        value is { } v ? Bind(index, v) : Check(raw.sqlite3_bind_null(_statement, index));

    public SqliteRawStatement Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    public SqliteRawStatement Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds the bytes; an empty span is an empty blob, never NULL.</summary>
    public SqliteRawStatement BindBlob(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    public SqliteRawStatement BindBlob(int index, byte[]? value) =>
        value is null ? Check(raw.sqlite3_bind_null(_statement, index)) : BindBlob(index, value.AsSpan());

    /// <summary>Runs a statement that returns no row; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps to the next row; false when there is none (the statement is then reset).</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return false;
    }

    /// <summary>
    /// Steps to the first row and maps it, then resets the statement (also when <paramref name="map"/> throws); null
    /// when there is no row. What <paramref name="map"/> reads (a blob's span above all) is valid only inside it.
    /// </summary>
    public T? ReadFirst<T>(Func<SqliteRawStatement, T> map)
        where T : class
    {
        if (!Read())
        {
            return null;
        }
        try
        {
            return map(this);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public int GetInt32(int column) => checked((int)GetInt64(column));

    /// <summary>The blob (an empty one for NULL or a zero-length blob), valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetBlob(int column) => raw.sqlite3_column_blob(_statement, column);

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>Ends a read early (before <see cref="Read"/> answered false).</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose() => _statement.Dispose();

    private SqliteRawStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return this;
    }
}
