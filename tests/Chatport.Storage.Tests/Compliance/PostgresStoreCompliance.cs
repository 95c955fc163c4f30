using System.Data.Common;
using Chatport.Storage;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Chatport.Tests.Compliance;

/// <summary>
/// The compliance suite on a real PostgreSQL (<c>CHATPORT_TEST_POSTGRES</c>; it fails, never skips, without one),
/// in a fresh schema per test, plus what only a shared database has: nodes migrating at once, and LISTEN/NOTIFY.
/// </summary>
public sealed class PostgresStoreCompliance : StoreCompliance
{
    private PostgresTestSchema? _schema;

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("The schema is made in CreateStoreAsync.");

    protected override bool OneNodeOnly => false;

    protected override async Task<IChatportStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _schema = await PostgresTestSchema.CreateAsync();
        var store = new PostgresStore(_schema.NewDataSource(), time);
        await store.MigrateAsync();
        return store;
    }

    protected override async Task<DbConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(Schema.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task<IChatportStore> ReopenStoreAsync(FakeTimeProvider time)
    {
        var store = new PostgresStore(Schema.NewDataSource(), time);
        await store.MigrateAsync();
        return store;
    }

    public override async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_webhook_destination_made_before_kinds_were_plug_ins_reads_the_same_after_migrating()
    {
        // Before step 6 a destination kept its timeout and retry schedule in its config and its secrets in columns.
        await using var old = await PostgresTestSchema.CreateAsync();
        await using (var connection = old.NewDataSource().OpenConnection())
        {
            await PostgresMigrations.ApplyAsync(connection, 0, CancellationToken.None, upTo: 5);
            await using var command = new NpgsqlCommand("""
                INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at) VALUES (1, 'One', 'pro', 60, 0, 0);
                INSERT INTO destinations (id, account_id, kind, name, enabled, disabled_reason, kinds, config, secret, previous_secret,
                    previous_secret_expires_at, created_at, updated_at, last_success_at, failing_since)
                VALUES ('dst_a', 1, 'webhook', 'CRM', true, NULL, '{missed}',
                        '{"url":"https://crm.example/in","timeoutSeconds":7,"headers":{"X-B":"2"},"retrySchedule":["0","5s","2h"]}',
                        'whsec_new', 'whsec_old', 86400000, 10, 20, NULL, NULL),
                       ('dst_b', 1, 'webhook', NULL, false, 'Disabled by a user.', '{}', '{"url":"https://b.example/"}', 'whsec_b', NULL, NULL, 30, 40, 35, 36);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
        var store = new PostgresStore(old.NewDataSource(), new FakeTimeProvider());
        await store.MigrateAsync();

        var a = await store.FindDestinationAsync("dst_a");
        Assert.NotNull(a);
        Assert.Equal(7, a.TimeoutSeconds);
        Assert.Equal(["0", "5s", "2h"], a.RetrySchedule);
        Assert.Equal(["missed"], a.Kinds);
        using (var config = System.Text.Json.JsonDocument.Parse(a.Config))
        {
            Assert.Equal(("https://crm.example/in", "2"), (config.RootElement.GetProperty("url").GetString(),
                config.RootElement.GetProperty("headers").GetProperty("X-B").GetString()));
            Assert.Equal(["headers", "url"], config.RootElement.EnumerateObject().Select(p => p.Name).Order());
        }
        using (var secrets = System.Text.Json.JsonDocument.Parse(a.Secrets!))
        {
            Assert.Equal(("whsec_new", "whsec_old", 86400000L), (secrets.RootElement.GetProperty("secret").GetString(),
                secrets.RootElement.GetProperty("previousSecret").GetString(), secrets.RootElement.GetProperty("previousSecretExpiresAt").GetInt64()));
        }
        var b = await store.FindDestinationAsync("dst_b");
        Assert.NotNull(b);
        Assert.Equal((15, 0, false, "Disabled by a user."), (b.TimeoutSeconds, b.RetrySchedule.Count, b.Enabled, b.DisabledReason));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(35), b.LastSuccessAt);
    }

    [Fact]
    public async Task Migrating_twice_applies_each_step_once()
    {
        await Store.MigrateAsync();

        Assert.Equal(PostgresMigrations.Latest, await Schema.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(PostgresMigrations.Latest, await Schema.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Nodes_migrating_one_empty_database_at_once_apply_each_step_once()
    {
        await using var fresh = await PostgresTestSchema.CreateAsync();
        var nodes = Enumerable.Range(0, 6).Select(_ => new PostgresStore(fresh.NewDataSource(), Time)).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync())));

        Assert.Equal(PostgresMigrations.Latest, await fresh.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        await nodes[3].PingAsync();
    }

    [Fact]
    public async Task A_database_from_a_newer_chatport_is_refused()
    {
        await Schema.ScalarAsync<int>("INSERT INTO schema_migrations VALUES (9999, 0) RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.MigrateAsync());

        Assert.Equal(
            $"The database is at schema version 9999, newer than this build of Chatport knows ({PostgresMigrations.Latest}). Upgrade Chatport.",
            error.Message);
    }

    [Fact]
    public async Task A_session_that_enqueued_notifies_only_when_it_commits()
    {
        await OutboxAsync();
        // One connection in the pool, so every notification this store sends carries that connection's pid; other
        // suites sharing the server may notify the same channel, and are ignored.
        var dataSource = Schema.NewDataSource(maxPoolSize: 1);
        var store = new PostgresStore(dataSource, Time);
        int storePid;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            storePid = connection.ProcessID;
        }
        await using var listener = new NpgsqlConnection(Schema.ConnectionString);
        await listener.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) =>
        {
            if (e.PID == storePid || e.Payload == "marker")
            {
                payloads.Add(e.Payload);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresOutboxSignal.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using (var rolledBack = await store.BeginAsync())
        {
            await rolledBack.EnqueueDeliveryAsync(Work("del-0"), Now);
        }
        await using (var marker = new NpgsqlConnection(Schema.ConnectionString))
        {
            await marker.OpenAsync();
            await using var notify = new NpgsqlCommand($"NOTIFY {PostgresOutboxSignal.Channel}, 'marker'", marker);
            await notify.ExecuteNonQueryAsync();
        }
        await using (var committed = await store.BeginAsync())
        {
            await committed.EnqueueDeliveryAsync(Work("del-1"), Now);
            await committed.EnqueueDeliveryAsync(Work("del-2"), Now);
            await committed.CommitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (payloads.Count < 2)
        {
            await listener.WaitAsync(timeout.Token);
        }
        Assert.Equal(["marker", ""], payloads); // nothing from the rollback; one notification for two deliveries
    }

    [Fact]
    public async Task The_outbox_listener_wakes_on_commits_and_replays_and_stops_when_cancelled()
    {
        await OutboxAsync();
        var store = (PostgresStore)Store;
        var calls = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var listening = store.ListenAsync(() => { calls.Release(); return Task.CompletedTask; }, stop.Token);
        var wait = TimeSpan.FromSeconds(10);

        Assert.True(await calls.WaitAsync(wait)); // the first call: listening now
        await using (var session = await Store.BeginAsync())
        {
            await session.EnqueueDeliveryAsync(Work("del-1"), Now);
            await session.CommitAsync();
        }
        Assert.True(await calls.WaitAsync(wait));
        Assert.True(await Store.ReplayDeliveryAsync("del-1", Now));
        Assert.True(await calls.WaitAsync(wait));

        await stop.CancelAsync();
        await listening.WaitAsync(wait);
    }

    private DeliveryWork Work(string id) => new(id, 1, "dst-1", 100, 1, ["completed"], 0, Now, ReadOnlyMemory<byte>.Empty);
}
