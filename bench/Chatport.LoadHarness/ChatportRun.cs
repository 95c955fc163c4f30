using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Chatport.LoadHarness;

/// <summary>
/// One Chatport for one scenario: a fresh data folder, and with <c>--postgres</c> a fresh database
/// <c>chatport_bench_N</c> made before it starts and dropped after it stopped. It also counts the conversations
/// the store holds, so a scenario can check that every 2xx was stored.
/// </summary>
internal sealed class ChatportRun : IAsyncDisposable
{
    private static int _databases;

    private readonly string? _adminConnection;
    private readonly string? _database;

    private ChatportRun(ChatportServer server, Harness harness, string? adminConnection, string? database, string? connection)
    {
        Server = server;
        Harness = harness;
        _adminConnection = adminConnection;
        _database = database;
        Connection = connection;
    }

    public ChatportServer Server { get; }

    public Harness Harness { get; }

    public ChatportClient Client => Harness.Client;

    /// <summary>The PostgreSQL connection string Chatport runs on; null on SQLite.</summary>
    public string? Connection { get; }

    public string Storage => Connection is null ? "SQLite" : "PostgreSQL";

    public static async Task<ChatportRun> StartAsync(HarnessOptions options, string dll, CancellationToken cancellationToken)
    {
        string? database = null;
        string? connection = null;
        var settings = new List<string>();
        if (options.Postgres is { } admin)
        {
            database = $"chatport_bench_{Interlocked.Increment(ref _databases)}";
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", cancellationToken);
            await ExecuteAsync(admin, $"CREATE DATABASE {database}", cancellationToken);
            connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            settings.Add("--Chatport:Storage:Provider=postgres");
            settings.Add($"--Chatport:Storage:ConnectionString={connection}");
        }
        ChatportServer server;
        try
        {
            server = await ChatportServer.StartAsync(dll, options.DataRoot, options.KeepData, cancellationToken, settings);
        }
        catch
        {
            if (database is not null)
            {
                await ExecuteAsync(options.Postgres!, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
            throw;
        }
        var client = new ChatportClient(server.Address, ChatportServer.AdminKey);
        return new ChatportRun(server, new Harness(options, server, client, cancellationToken), options.Postgres, database, connection);
    }

    /// <summary>Conversations of the account stored with <paramref name="fromChat"/> ≤ chat id &lt; <paramref name="toChat"/>.</summary>
    public async Task<long> CountConversationsAsync(long accountId, long fromChat, long toChat, CancellationToken cancellationToken)
    {
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM conversations WHERE account_id = {accountId} AND chat_id >= {fromChat} AND chat_id < {toChat}");
        if (Connection is not null)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Connection) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        // SQLite in WAL mode: a reader beside the running server sees every committed transaction.
        var start = new ProcessStartInfo("sqlite3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-readonly");
        start.ArgumentList.Add(Path.Combine(Server.DataDir, "chatport.db"));
        start.ArgumentList.Add(sql);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sqlite3 (apt-get install sqlite3).");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return long.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new InvalidOperationException($"sqlite3 could not count the conversations: {error}{output}");
    }

    public async ValueTask DisposeAsync()
    {
        Harness.Client.Dispose();
        await Server.DisposeAsync();
        if (_database is not null)
        {
            try
            {
                await ExecuteAsync(_adminConnection!, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", CancellationToken.None);
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"Could not drop {_database}: {e.Message}");
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
