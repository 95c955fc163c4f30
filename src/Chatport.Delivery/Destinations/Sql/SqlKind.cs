using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Data.Sqlite;
using Chatport.Delivery.Safety;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// <c>sql</c>: each conversation written into normalized tables of a SQLite file (under the data dir) or a PostgreSQL
/// database. Fields: <c>provider</c> (<c>sqlite</c> or <c>postgres</c>), <c>connectionString</c> (a secret) and
/// <c>tablePrefix?</c> (default <c>chatport_</c>). A conversation is upserted by (account, chat): a newer version
/// replaces the older one and its rows, an older one is skipped (see <see cref="SqlRows"/>). The deliveries that
/// arrive for one database while a transaction runs are written together in the next one (group commit), so the
/// kind keeps up with the dispatcher's burst. Any failure is a retry on the destination's schedule.
/// </summary>
public sealed partial class SqlKind(IConfiguration configuration, IOptions<DeliveryOptions> options, TimeProvider time) : IDestinationKind, IAsyncDisposable
{
    // Null when private targets are allowed: then no PostgreSQL host is checked.
    private readonly GuardedConnector? _guard = options.Value.AllowPrivateTargets ? null : SqlHosts.Guard();

    private const int MaxPrefixLength = 30;

    /// <summary>The store's own SQLite file in the data dir (and its -wal, -shm), which a destination may not write into.</summary>
    private const string OwnDatabase = "chatport.db";

    private readonly string _dataDir = Path.GetFullPath(configuration["Chatport:DataDir"] is { Length: > 0 } dir ? dir : "./data");

    // One pooled data source per PostgreSQL connection string, disposed when the app stops.
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _postgres = new(StringComparer.Ordinal);

    /// <summary>The SQLite files made (or found) owner-only by this process.</summary>
    private readonly ConcurrentDictionary<string, bool> _privateFiles = new(StringComparer.Ordinal);

    // The (connection, prefix) pairs whose tables are known to exist in this process.
    private readonly ConcurrentDictionary<string, bool> _ready = new(StringComparer.Ordinal);

    // The writes queued for each (connection, prefix), committed together (see WriteBatchAsync).
    private readonly ConcurrentDictionary<string, GroupCommit<(SqlTarget Target, DeliveryWork Delivery), bool>> _targets = new(StringComparer.Ordinal);

    // The statements' text for each table prefix, made once.
    private readonly ConcurrentDictionary<string, SqlTables> _tables = new(StringComparer.Ordinal);

    /// <summary>The most conversations written in one transaction.</summary>
    private const int MaxBatch = 256;

    public string Name => "sql";

    public string Title => "The SQL export";

    public string Plural => "SQL destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 15;

    /// <summary>Deliveries in flight wait for one group commit (one transaction or flush for the lot): more of them make bigger batches.</summary>
    public int? MaxInFlight => 256;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("provider", FieldType.String, "The database: \"sqlite\" or \"postgres\".", RequiredOnCreate: true),
        new("connectionString", FieldType.String,
            "How to connect. For sqlite, Data Source is a file path relative to the Chatport data folder.", RequiredOnCreate: true, Secret: true),
        new("tablePrefix", FieldType.String, "What every table name starts with (letters, digits and _; at most 30); default chatport_."),
    ];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PrefixPattern();

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var before = current is null ? null : SqlConfig.Deserialize(current.Config);
        var provider = fields.String("provider");
        var connectionString = fields.String("connectionString");
        var prefix = fields.String("tablePrefix");

        if (provider is not null && provider is not (SqlConfig.Sqlite or SqlConfig.Postgres))
        {
            errors.Add("provider", $"provider must be \"sqlite\" or \"postgres\", not \"{provider}\".");
        }
        else if (current is null && provider is null && !errors.Has("provider"))
        {
            errors.Add("provider", "provider is required: \"sqlite\" or \"postgres\".");
        }
        if (current is null && connectionString is null && !errors.Has("connectionString"))
        {
            errors.Add("connectionString", "connectionString is required: how to connect to the database.");
        }
        if (prefix is not null && (prefix.Length > MaxPrefixLength || !PrefixPattern().IsMatch(prefix)))
        {
            errors.Add("tablePrefix", $"tablePrefix must be at most {MaxPrefixLength} letters, digits or underscores, starting with a letter or underscore.");
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }

        var config = new SqlConfig(provider ?? before!.Provider, prefix ?? before?.TablePrefix ?? SqlConfig.DefaultPrefix);
        var secret = connectionString ?? SqlSecrets.Deserialize(current?.Secrets)?.ConnectionString;
        // A changed provider checks the kept connection string again, as a new one is checked.
        if (secret is not null && (connectionString is not null || provider is not null))
        {
            CheckConnectionString(config.Provider, secret, context.AllowPrivateTargets, errors);
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }
        return new KindSettings(config.Serialize(), connectionString is null ? current?.Secrets : new SqlSecrets(connectionString).Serialize(),
            Reveal: connectionString is not null);
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = SqlConfig.Deserialize(settings.Config);
        return new DestinationView(
            new JsonObject { ["provider"] = config.Provider, ["tablePrefix"] = config.TablePrefix },
            new JsonObject(),
            new JsonObject { ["connectionString"] = showSecrets ? SqlSecrets.Deserialize(settings.Secrets)?.ConnectionString : null });
    }

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var config = SqlConfig.Deserialize(destination.Config);
        var connectionString = SqlSecrets.Deserialize(destination.Secrets)?.ConnectionString ?? "";
        var started = time.GetTimestamp();

        // One source cancels the write: the destination's timeout (on the injected clock) or the host stopping.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(destination.TimeoutSeconds), time);
        using var stopping = cancellationToken.UnsafeRegister(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        var engine = config.Provider == SqlConfig.Postgres ? "PostgreSQL" : "SQLite";
        var target = new SqlTarget(config.Provider, connectionString, config.TablePrefix, destination.TimeoutSeconds);
        try
        {
            var written = await _targets.GetOrAdd(target.Key, _ => new GroupCommit<(SqlTarget, DeliveryWork), bool>())
                .SubmitAsync((target, delivery), WriteBatchAsync, MaxBatch, deadline.Token);
            var detail = written
                ? $"conversations row {delivery.AccountId}/{delivery.ChatId} at version {delivery.Version}"
                : $"conversations row {delivery.AccountId}/{delivery.ChatId} already holds a newer version; version {delivery.Version} is older and was skipped";
            return new SendOutcome(SendResult.Delivered, time.GetElapsedTime(started).TotalMilliseconds, null, null, Encoding.UTF8.GetBytes(detail));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(started, $"The {engine} database did not answer within {destination.TimeoutSeconds} s (timeout).");
        }
        catch (BlockedTargetException e)
        {
            return Failure(started, $"Blocked before connecting: {e.Message}");
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or ArgumentException or TimeoutException
            or UnauthorizedAccessException or System.Net.Sockets.SocketException or JsonException)
        {
            return Failure(started, $"Could not write to the {engine} database: {Plain(e)}");
        }
    }

    /// <summary>Where a conversation is written; deliveries to one target (whichever destination) share its transactions.</summary>
    private sealed record SqlTarget(string Provider, string ConnectionString, string Prefix, int TimeoutSeconds)
    {
        public string Key => Provider + "\n" + ConnectionString + "\n" + Prefix;
    }

    /// <summary>
    /// Writes the conversations queued for one target in one transaction (creating the tables first if this process
    /// has not seen them). If that fails while the database is reachable, each is written alone, so that one that
    /// cannot be written fails by itself and the others are delivered.
    /// </summary>
    private async Task WriteBatchAsync(IReadOnlyList<GroupCommit<(SqlTarget Target, DeliveryWork Delivery), bool>.Entry> batch, CancellationToken cancellationToken)
    {
        var target = batch[0].Item.Target;
        var tables = _tables.GetOrAdd(target.Prefix, static prefix => new SqlTables(prefix));
        var rows = new List<(GroupCommit<(SqlTarget, DeliveryWork), bool>.Entry Entry, SqlRows Rows)>(batch.Count);
        foreach (var entry in batch)
        {
            try
            {
                rows.Add((entry, SqlRows.Of(entry.Item.Delivery, tables)));
            }
            catch (JsonException e)
            {
                entry.Fail(e);
            }
        }
        if (rows.Count == 0)
        {
            return;
        }
        try
        {
            await using var connection = await OpenAsync(target.Provider, target.ConnectionString, cancellationToken);
            var writer = new SqlWriter(connection, target.Provider == SqlConfig.Postgres, tables, target.TimeoutSeconds);
            if (!_ready.ContainsKey(target.Key))
            {
                await writer.EnsureSchemaAsync(cancellationToken);
                _ready[target.Key] = true;
            }
            bool[] written;
            try
            {
                written = await writer.WriteAsync(rows.Select(r => r.Rows).ToList(), cancellationToken);
            }
            catch (DbException) when (rows.Count > 1 && connection.State == System.Data.ConnectionState.Open)
            {
                foreach (var (entry, one) in rows)
                {
                    try
                    {
                        entry.Complete((await writer.WriteAsync([one], cancellationToken))[0]);
                    }
                    catch (DbException e)
                    {
                        entry.Fail(e);
                    }
                }
                return;
            }
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Entry.Complete(written[i]);
            }
        }
        catch
        {
            // The tables are checked again on the next attempt (they may have been dropped).
            _ready.TryRemove(target.Key, out _);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _postgres.Values)
        {
            await source.DisposeAsync();
        }
        _postgres.Clear();
    }

    private async Task<DbConnection> OpenAsync(string provider, string connectionString, CancellationToken cancellationToken)
    {
        if (provider == SqlConfig.Postgres)
        {
            var source = _postgres.GetOrAdd(connectionString, static cs => NpgsqlDataSource.Create(cs));
            if (_guard is not null)
            {
                var hosts = new NpgsqlConnectionStringBuilder(connectionString);
                await SqlHosts.CheckAsync(_guard, hosts.Host ?? "", hosts.Port, cancellationToken);
            }
            return await source.OpenConnectionAsync(cancellationToken);
        }
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        var path = SqlitePath(builder.DataSource) ?? throw new InvalidOperationException("Data Source must be a file inside the Chatport data folder.");
        Storage.OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
        if (_privateFiles.TryAdd(path, true) || !System.IO.File.Exists(path))
        {
            Storage.OwnerOnly.PrepareSqliteFile(path); // 0600, and so its -wal and -shm
        }
        builder.DataSource = path;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void CheckConnectionString(string provider, string connectionString, bool allowPrivateTargets, FieldErrors errors)
    {
        try
        {
            if (provider == SqlConfig.Postgres)
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add("connectionString", "connectionString must name the PostgreSQL server (Host=…).");
                }
                else if (!allowPrivateTargets && SqlHosts.Parse(builder.Host, builder.Port).Select(h => SqlHosts.Refusal(h.Host)).FirstOrDefault(r => r is not null) is { } refusal)
                {
                    errors.Add("connectionString", $"connectionString's {refusal}. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.");
                }
                return;
            }
            var sqlite = new SqliteConnectionStringBuilder(connectionString);
            if (sqlite.Mode == SqliteOpenMode.Memory || SqlitePath(sqlite.DataSource) is not { } path)
            {
                errors.Add("connectionString",
                    "connectionString's Data Source must be a file path relative to the Chatport data folder, with no \"..\" and not an absolute path.");
            }
            else if (path.StartsWith(Path.Combine(_dataDir, OwnDatabase), StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("connectionString", $"connectionString's Data Source must not be Chatport's own database ({OwnDatabase}); name another file.");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            errors.Add("connectionString", $"connectionString could not be read as a {(provider == SqlConfig.Postgres ? "PostgreSQL" : "SQLite")} connection string.");
        }
    }

    /// <summary>The full path of a relative SQLite Data Source inside the data dir; null when it is empty, absolute, a URI, in memory, or climbs out.</summary>
    private string? SqlitePath(string? dataSource)
    {
        if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || Path.IsPathRooted(dataSource) || dataSource.Split('/', '\\').Contains(".."))
        {
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(_dataDir, dataSource));
        var root = Path.EndsInDirectorySeparator(_dataDir) ? _dataDir : _dataDir + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal) && !Path.EndsInDirectorySeparator(full) ? full : null;
    }

    private SendOutcome Failure(long started, string error) => new(SendResult.Retry, time.GetElapsedTime(started).TotalMilliseconds, null, error, null);

    /// <summary>An error's own words and its causes', without type names; PostgreSQL's own message as the server said it.</summary>
    private static string Plain(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null && parts.Count < 3; current = current.InnerException)
        {
            var message = current is PostgresException pg ? pg.MessageText : current.Message;
            if (!string.IsNullOrWhiteSpace(message) && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message.TrimEnd('.'));
            }
        }
        return string.Join(": ", parts) + ".";
    }

}
