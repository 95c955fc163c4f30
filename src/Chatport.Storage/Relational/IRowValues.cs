using System.Data.Common;

namespace Chatport.Storage.Relational;

/// <summary>
/// The column reads a row mapping needs, so one mapping serves an ADO.NET reader (<see cref="ReaderRow"/>) and
/// SQLite's raw statements (<see cref="Sqlite.SqliteRawStatement"/>) alike. A mapping is generic over the row type,
/// so a struct row is neither boxed nor called through the interface.
/// </summary>
internal interface IRowValues
{
    long GetInt64(int ordinal);

    int GetInt32(int ordinal);

    string GetString(int ordinal);
}

/// <summary>The current row of an ADO.NET reader, read as the reader reads it.</summary>
internal readonly struct ReaderRow(DbDataReader reader) : IRowValues
{
    public long GetInt64(int ordinal) => reader.GetInt64(ordinal);

    public int GetInt32(int ordinal) => reader.GetInt32(ordinal);

    public string GetString(int ordinal) => reader.GetString(ordinal);
}
