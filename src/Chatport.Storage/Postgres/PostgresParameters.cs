using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace Chatport.Storage.Postgres;

/// <summary>
/// Binds values with their PostgreSQL type spelled out, so a null (or a parameter used only in <c>IS NULL</c>)
/// never leaves the server guessing. Times are <c>bigint</c> epoch ms. For PostgreSQL's own statements (batch
/// commands, which <see cref="Relational.CommandParameters"/> cannot bind, arrays, borrowed bytes); the shared SQL
/// binds through that.
/// </summary>
internal static class PostgresParameters
{
    public static void AddBigint(this NpgsqlParameterCollection parameters, string name, long? value) =>
        parameters.AddWithValue(name, NpgsqlDbType.Bigint, value is { } v ? v : DBNull.Value);

    public static void AddInteger(this NpgsqlParameterCollection parameters, string name, int? value) =>
        parameters.AddWithValue(name, NpgsqlDbType.Integer, value is { } v ? v : DBNull.Value);

    public static void AddDouble(this NpgsqlParameterCollection parameters, string name, double value) =>
        parameters.AddWithValue(name, NpgsqlDbType.Double, value);

    public static void AddText(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.AddWithValue(name, NpgsqlDbType.Text, (object?)value ?? DBNull.Value);

    public static void AddTime(this NpgsqlParameterCollection parameters, string name, DateTimeOffset? value) =>
        parameters.AddBigint(name, value?.ToUnixTimeMilliseconds());

    public static void AddTextArray(this NpgsqlParameterCollection parameters, string name, IReadOnlyList<string> values) =>
        parameters.AddWithValue(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values as string[] ?? [.. values]);

    /// <remarks>
    /// Its own overload, and no <c>?:</c> inside: C# converts a null <c>byte[]</c> (even the <c>null</c> literal) to an
    /// empty <see cref="ReadOnlyMemory{T}"/>, which would store an empty body where there is none.
    /// </remarks>
    public static void AddBytea(this NpgsqlParameterCollection parameters, string name, byte[]? value)
    {
        if (value is null)
        {
            parameters.AddWithValue(name, NpgsqlDbType.Bytea, DBNull.Value);
        }
        else
        {
            parameters.Add(new NpgsqlParameter<byte[]>(name, NpgsqlDbType.Bytea) { TypedValue = value });
        }
    }

    public static void AddBytea(this NpgsqlParameterCollection parameters, string name, ReadOnlyMemory<byte>? value)
    {
        if (value is { } bytes)
        {
            parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>(name, NpgsqlDbType.Bytea) { TypedValue = bytes });
        }
        else
        {
            parameters.AddWithValue(name, NpgsqlDbType.Bytea, DBNull.Value);
        }
    }

    /// <summary>
    /// The bytes as an array of their own length, for an array parameter (Npgsql binds <c>bytea[]</c> from
    /// <c>byte[][]</c>): the one behind them when it is exactly that, else a copy.
    /// </summary>
    public static byte[] ExactArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
