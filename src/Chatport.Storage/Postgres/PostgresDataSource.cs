using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// Builds the node's one <see cref="NpgsqlDataSource"/> with the bounds that keep a node answering when the
/// database does not: every statement is limited by the server itself (<c>statement_timeout</c>, and
/// <c>idle_in_transaction_session_timeout</c> for a transaction abandoned between statements), Npgsql's own
/// command timeout is a backstop a few seconds later (a server that stopped answering at all), waiting for a
/// connection is limited by <see cref="StorageOptions.ConnectTimeout"/>, TCP keepalives find a dead peer, and
/// statements a connection runs again are prepared (Npgsql's auto-prepare).
/// A setting the connection string states explicitly is left as the operator wrote it.
/// </summary>
internal static class PostgresDataSource
{
    /// <summary>How much later than the server's statement timeout Npgsql gives up on a silent server.</summary>
    internal static readonly TimeSpan BackstopMargin = TimeSpan.FromSeconds(5);

    public static NpgsqlDataSource Create(StorageOptions options) =>
        NpgsqlDataSource.Create(ConnectionString(options));

    internal static string ConnectionString(StorageOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (!Stated(options.ConnectionString, "Timeout"))
        {
            builder.Timeout = Seconds(options.ConnectTimeout);
        }
        if (!Stated(options.ConnectionString, "Command Timeout", "CommandTimeout"))
        {
            builder.CommandTimeout = Seconds(options.CommandTimeout + BackstopMargin);
        }
        // Statements used more than once on a connection are prepared there (parsed and planned once): the store runs
        // a few dozen statement texts, and the hot ones thousands of times a second.
        if (!Stated(options.ConnectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }
        if (!Stated(options.ConnectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        if (!Stated(options.ConnectionString, "Keepalive"))
        {
            builder.KeepAlive = 10;
        }
        var serverOptions = builder.Options ?? "";
        if (!serverOptions.Contains("statement_timeout", StringComparison.Ordinal))
        {
            serverOptions += $" -c statement_timeout={(long)options.CommandTimeout.TotalMilliseconds}";
        }
        if (!serverOptions.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal))
        {
            serverOptions += $" -c idle_in_transaction_session_timeout={(long)(2 * options.CommandTimeout).TotalMilliseconds}";
        }
        builder.Options = serverOptions.Trim();
        return builder.ConnectionString;
    }

    /// <summary>How many statements a connection keeps prepared: more than the store has hot texts.</summary>
    internal const int MaxAutoPrepare = 128;

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));

    // The plain builder knows only the keys the string states (Npgsql's answers true for every key it supports), and
    // parses quoting as Npgsql does.
    private static bool Stated(string? connectionString, params string[] keys)
    {
        var stated = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(stated.ContainsKey);
    }
}
