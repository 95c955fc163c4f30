using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Chatport.Storage;

/// <summary>
/// Tells a store that cannot answer right now (unreachable, restarting, out of connections, too slow) from a
/// store that refused the request: the first is worth trying again later — an HTTP 503 with <c>Retry-After</c> —
/// the second is a bug or bad data.
/// </summary>
public static class StoreUnavailable
{
    /// <summary>True when <paramref name="exception"/> says the store is out of reach or out of capacity for now.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        PostgresException postgres => IsTransient(postgres.SqlState),
        NpgsqlException => true, // not the server's answer: the connection, the pool or a timeout failed
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY (the data dir cannot be written), SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14,
        DbException { IsTransient: true } or TimeoutException or SocketException => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };

    /// <summary>A plain-words reason, for health checks and problem details (no connection strings, no type names).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException { SqlState: "57014" } => "a statement took longer than Chatport:Storage:CommandTimeout",
        PostgresException { SqlState: "53300" } => "the database has no connection slot left (max_connections)",
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => "the database is shutting down or starting up",
        PostgresException { SqlState: "28P01" or "28000" } => "the database refused the credentials",
        PostgresException { SqlState: "3D000" } => "the database does not exist",
        PostgresException postgres => $"the database answered {postgres.SqlState}: {postgres.MessageText}",
        NpgsqlException { InnerException: TimeoutException } when exception.Message.Contains("pool", StringComparison.OrdinalIgnoreCase) =>
            "every connection of the pool is busy (waited Chatport:Storage:ConnectTimeout)",
        NpgsqlException { InnerException: TimeoutException } or TimeoutException => "the database did not answer in time",
        NpgsqlException { InnerException: SocketException socket } => $"the database cannot be reached ({socket.SocketErrorCode})",
        NpgsqlException { InnerException: IOException } => "the connection to the database broke",
        SqliteException sqlite when sqlite.SqliteErrorCode == 13 => "the disk is full",
        SqliteException sqlite when sqlite.SqliteErrorCode == 8 => "the data folder is read-only",
        SqliteException sqlite when sqlite.SqliteErrorCode == 10 => "the disk could not be read or written (an I/O error)",
        SqliteException sqlite when sqlite.SqliteErrorCode == 14 => "the database file cannot be opened",
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}",
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => "the store failed",
    };

    // Class 08 (connection), 53 (insufficient resources), 57 (operator intervention, statement timeout), 58 (system
    // error), and the serialization/deadlock failures a retry resolves.
    private static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57", StringComparison.Ordinal) || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is "40001" or "40P01" or "55P03";
}
