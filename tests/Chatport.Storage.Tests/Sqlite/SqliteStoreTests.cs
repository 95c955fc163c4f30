using Chatport.Storage.Accounts;
using Chatport.Storage.Relational;
using Chatport.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Sqlite;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    private string DbPath => Path.Combine(_dir.Path, "chatport.db");

    private async Task<SqliteStore> OpenAsync()
    {
        var store = SqliteStore.ForDataDir(_dir.Path, _time);
        await store.MigrateAsync();
        return store;
    }

    [Fact]
    public async Task Migrating_makes_a_database_file_in_wal_mode()
    {
        await OpenAsync();

        Assert.True(File.Exists(DbPath));
        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrating_twice_applies_each_step_once()
    {
        var store = await OpenAsync();
        await store.MigrateAsync();

        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), max(version) FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(SqliteMigrations.Latest, reader.GetInt32(0));
        Assert.Equal(SqliteMigrations.Latest, reader.GetInt32(1));
    }

    [Fact]
    public async Task A_database_from_a_newer_chatport_is_refused()
    {
        var store = await OpenAsync();
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations VALUES (9999, 0)";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_is_created_then_updated_and_keeps_its_creation_time()
    {
        var store = await OpenAsync();

        var (created, wasCreated) = await store.UpsertAccountAsync(new AccountChange(208, "Acme", AccountPlan.Free, 1800));
        _time.Advance(TimeSpan.FromMinutes(5));
        var (updated, wasCreatedAgain) = await store.UpsertAccountAsync(new AccountChange(208, "Acme s.r.o.", AccountPlan.Pro, 600));

        Assert.True(wasCreated);
        Assert.False(wasCreatedAgain);
        Assert.Equal("Acme s.r.o.", updated.Name);
        Assert.Equal(AccountPlan.Pro, updated.Plan);
        Assert.Equal(600, updated.InactivityTimeoutSeconds);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(created.CreatedAt + TimeSpan.FromMinutes(5), updated.UpdatedAt);
    }

    [Fact]
    public async Task Accounts_survive_reopening_the_file()
    {
        var store = await OpenAsync();
        await store.UpsertAccountAsync(new AccountChange(7, "Seven", AccountPlan.Pro, 30));
        SqliteConnection.ClearAllPools();

        var reopened = await OpenAsync();
        var account = await reopened.GetAccountAsync(7);

        Assert.NotNull(account);
        Assert.Equal("Seven", account.Name);
        Assert.Equal(AccountPlan.Pro, account.Plan);
        Assert.Null(await reopened.GetAccountAsync(8));
    }

    [Fact]
    public async Task Concurrent_upserts_all_land()
    {
        var store = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(1, 50).Select(id =>
            Task.Run(() => store.UpsertAccountAsync(new AccountChange(id, $"A{id}", AccountPlan.Free, 1800)))));

        for (var id = 1; id <= 50; id++)
        {
            Assert.Equal($"A{id}", (await store.GetAccountAsync(id))?.Name);
        }
    }

    [Fact]
    public async Task Ping_answers_on_a_migrated_store()
    {
        var store = await OpenAsync();

        await store.PingAsync();
    }

    [Fact]
    public async Task Sessions_that_commit_together_keep_their_work_and_one_that_rolls_back_loses_only_its_own()
    {
        var store = await OpenAsync();
        await store.UpsertAccountAsync(new AccountChange(1, "One", AccountPlan.Pro, 1800));

        var sessions = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await using var session = await store.BeginAsync();
            await session.RecordEventAsync(1, $"e{i}", 1, i, i, new byte[] { 1 });
            if (i % 4 != 3)
            {
                await session.CommitAsync(); // every fourth disposes without committing
            }
        }));
        await Task.WhenAll(sessions);

        await using var check = await store.BeginAsync();
        for (var i = 0; i < 40; i++)
        {
            // RecordEvent answers false for an id already kept.
            var kept = !await check.RecordEventAsync(1, $"e{i}", 1, i, i, new byte[] { 1 });
            Assert.Equal(i % 4 != 3, kept);
        }
    }

    [Fact]
    public async Task A_committed_session_is_visible_to_readers_once_commit_returns()
    {
        var store = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(id => Task.Run(async () =>
        {
            await using var session = await store.BeginAsync();
            await session.WriteConversationAsync(new Chatport.Storage.Conversations.ConversationWrite(5, id, "{}"u8.ToArray(), ["chat"], 1, 2, "import"));
            await session.CommitAsync();
            Assert.NotNull(await store.GetConversationAsync(5, id)); // another connection sees it: it is durable
        })));
    }

    [Fact]
    public async Task Checkpoints_copy_the_wal_into_the_database_file_beside_the_writer()
    {
        // The writer does not checkpoint (its commits would pay for it); its checkpointer copies the WAL back into the
        // database file once commits have written enough pages. Whether the WAL stays bounded under load: the test below.
        var store = await OpenAsync();
        var body = new byte[64 * 1024];
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 80; i++) // 80 x 16 pages: past the checkpoint cadence each round
            {
                body[0] = (byte)i;
                body[1] = (byte)round;
                await using var session = await store.BeginAsync();
                await session.WriteConversationAsync(new Chatport.Storage.Conversations.ConversationWrite(5, round * 100 + i, body.ToArray(), ["chat"], 1, 2, "import"));
                await session.CommitAsync();
            }
            var expected = (round + 1) * 40L * body.Length;
            await WaitUntilAsync(() => new FileInfo(DbPath).Length >= expected, $"the database file never reached {expected} bytes (round {round}; {store.WalStats})");
        }

        Assert.NotNull(await store.GetConversationAsync(5, 279));
    }

    [Fact]
    public async Task The_checkpointer_is_woken_per_pages_written_not_per_commit()
    {
        // A steady stream of small commits must not pay a checkpoint (and its fsync) beside each of them: the writer
        // wakes its checkpointer once its commits have written SqliteWriter.CheckpointEveryFrames pages.
        var store = await OpenAsync();
        async Task WriteAsync(long chatId, int bytes)
        {
            await using var session = await store.BeginAsync();
            await session.WriteConversationAsync(new Chatport.Storage.Conversations.ConversationWrite(5, chatId, new byte[bytes], ["chat"], 1, 2, "import"));
            await session.CommitAsync();
        }

        for (var i = 1; i <= 50; i++)
        {
            await WriteAsync(i, 500); // a few pages each
        }
        Assert.Equal(0, store.WalStats.Pokes);

        // 64 KiB bodies are 16 overflow pages and more each: at most 63 of them cross the cadence, once.
        var id = 1000;
        while (store.WalStats.Pokes == 0)
        {
            Assert.True(id < 1063, $"no checkpoint after {id - 1000} writes of 64 KiB ({store.WalStats})");
            await WriteAsync(id++, 64 * 1024);
        }
        for (var i = 0; i < 10; i++)
        {
            await WriteAsync(id++, 64 * 1024);
        }
        Assert.Equal(1, store.WalStats.Pokes);
        await WaitUntilAsync(() => store.WalStats.Checkpoints == 1, $"the woken checkpointer did not run ({store.WalStats})");
    }

    [Fact]
    public async Task Under_continuous_writes_the_wal_is_restarted_and_stays_bounded()
    {
        // A checkpoint beside a writer that never pauses never finds the WAL fully copied; without the writer's restart
        // the WAL would grow by everything written. Write without pause until the first restart, then 15 MiB more: the
        // WAL must not grow by that much (it is written from its beginning again). When only a checkpoint could ask for
        // a restart, a writer whose fsync is off its lock outran it: the WAL grew by 9-18 MB here in 3 runs of 10.
        var store = SqliteStore.ForDataDir(_dir.Path, _time, walRestartFrames: 500);
        await store.MigrateAsync();
        var walPath = DbPath + "-wal";
        var body = new byte[64 * 1024];
        var next = 0;
        async Task WriteAsync(Func<bool> more)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (more())
                {
                    var id = Interlocked.Increment(ref next);
                    await using var session = await store.BeginAsync();
                    await session.WriteConversationAsync(new Chatport.Storage.Conversations.ConversationWrite(5, id, body, ["chat"], 1, 2, "import"));
                    await session.CommitAsync();
                }
            })));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        await WriteAsync(() => store.WalStats.Restarts == 0 && DateTime.UtcNow < deadline);
        Assert.True(store.WalStats.Restarts > 0, $"no WAL restart after {next} writes ({store.WalStats})");
        var before = new FileInfo(walPath).Length;
        var until = next + 240; // 15 MiB more
        await WriteAsync(() => Volatile.Read(ref next) < until);

        var growth = new FileInfo(walPath).Length - before;
        Assert.True(growth < 8 * 1024 * 1024, $"the WAL grew by {growth} bytes while 15 MiB were written ({store.WalStats})");
        Assert.NotNull(await store.GetConversationAsync(5, until - 1));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Batched_attempt_recording_and_sessions_can_share_the_writer_under_load()
    {
        // Regression: RecordAttemptsAsync disposed its commands after its commit had released the writer, racing
        // another session on the same connection (an ArgumentOutOfRangeException inside Microsoft.Data.Sqlite).
        var store = await OpenAsync();
        await store.UpsertAccountAsync(new AccountChange(1, "One", AccountPlan.Pro, 1800));
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                try
                {
                    if ((worker + i) % 2 == 0)
                    {
                        await store.RecordAttemptsAsync([new Chatport.Storage.Deliveries.AttemptResult(
                            $"msg_{worker}_{i}", "dst", 1, _time.GetUtcNow(), 200, 1, null, null, "succeeded", null, null)]);
                    }
                    else
                    {
                        await using var session = await store.BeginAsync();
                        await session.WriteConversationAsync(new Chatport.Storage.Conversations.ConversationWrite(1, worker * 1000 + i, "{}"u8.ToArray(), ["chat"], 1, 2, "import"));
                        await session.CommitAsync();
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })));

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_statement_that_failed_in_one_session_works_in_the_next()
    {
        // The writer keeps each statement compiled across sessions; a failed step must leave it reusable.
        var store = await OpenAsync();
        await store.UpsertAccountAsync(new AccountChange(1, "One", AccountPlan.Pro, 1800));
        var delivery = new Chatport.Storage.Deliveries.DeliveryWork("msg_1", 1, "dst", 7, 1, ["completed"], 0, _time.GetUtcNow(), "{}"u8.ToArray());
        await using (var first = await store.BeginAsync())
        {
            await first.EnqueueDeliveryAsync(delivery, _time.GetUtcNow());
            await first.CommitAsync();
        }

        await using (var failing = await store.BeginAsync())
        {
            await Assert.ThrowsAsync<SqliteException>(() => failing.EnqueueDeliveryAsync(delivery, _time.GetUtcNow())); // same id
        }
        await using (var next = await store.BeginAsync())
        {
            await next.EnqueueDeliveryAsync(delivery with { Id = "msg_2" }, _time.GetUtcNow());
            await next.CommitAsync();
        }

        Assert.Equal(["msg_1", "msg_2"], (await store.ListDeliveriesAsync(new Chatport.Storage.Deliveries.DeliveryQuery(1, null, null, null, 10))).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deliveries_settled_before_the_live_view_index_are_counted_by_it_after_migrating()
    {
        // Step 12 adds deliveries_by_last_attempt and deliveries_pending_by_created, which the live view's counts range over.
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrations.ApplyAsync(connection, 0, CancellationToken.None, upTo: 11);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at) VALUES (1, 'One', 'pro', 60, 0, 0);
                INSERT INTO destinations (id, account_id, kind, name, enabled, kinds, config, created_at, updated_at)
                VALUES ('dst_a', 1, 'webhook', 'CRM', 1, ',', '{"url":"https://crm.example/in"}', 0, 0);
                INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, next_attempt_at, last_attempt_at)
                VALUES ('msg_1', 1, 'dst_a', 7, 1, ',completed,', 'succeeded', 1, 1000, NULL, 2000),
                       ('msg_2', 1, 'dst_a', 7, 2, ',completed,', 'failed', 3, 1000, NULL, 500),
                       ('msg_3', 1, 'dst_a', 8, 1, ',completed,', 'pending', 0, 1500, 1500, NULL);
                """;
            await command.ExecuteNonQueryAsync();
        }

        var store = await OpenAsync(); // migrates to the latest step

        var stats = await store.GetLiveStatsAsync(1, DateTimeOffset.FromUnixTimeMilliseconds(1000), DateTimeOffset.FromUnixTimeMilliseconds(0));
        Assert.Equal(new Chatport.Storage.Deliveries.DestinationLiveStats("dst_a", 1, DateTimeOffset.FromUnixTimeMilliseconds(1500), 1, 0),
            Assert.Single(stats.Destinations));
        await using var check = new SqliteConnection($"Data Source={DbPath}");
        await check.OpenAsync();
        async Task<string> PlanAsync(string sql)
        {
            await using var plan = check.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN " + sql;
            await using var reader = await plan.ExecuteReaderAsync();
            var steps = new List<string>();
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }
            return string.Join(" | ", steps);
        }
        // Each count ranges over its own index, none over the destination's delivered history: 5,000 old ones here.
        await using (var history = check.CreateCommand())
        {
            history.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, last_attempt_at)
                SELECT 'old_' || i, 1, 'dst_a', i, 1, ',completed,', 'succeeded', 1, i, i FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO conversations (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at)
                SELECT 1, i, 1, ',completed,', i, i, 'import', i FROM n;
                ANALYZE;
                """;
            await history.ExecuteNonQueryAsync();
        }
        Assert.Contains("deliveries_by_last_attempt (destination_id=? AND last_attempt_at>?)", await PlanAsync(
            "SELECT count(*) FROM deliveries d WHERE d.destination_id = 'dst_a' AND d.last_attempt_at >= 4990 AND d.status = 'succeeded'"), StringComparison.Ordinal);
        Assert.Contains("deliveries_pending_by_created", await PlanAsync(
            "SELECT count(*) FROM deliveries d WHERE d.destination_id = 'dst_a' AND d.status = 'pending'"), StringComparison.Ordinal);
        Assert.Contains("deliveries_pending_by_created", await PlanAsync(
            "SELECT min(d.created_at) FROM deliveries d WHERE d.destination_id = 'dst_a' AND d.status = 'pending'"), StringComparison.Ordinal);
        Assert.Contains("conversations_by_end (account_id=? AND end_at>?)", await PlanAsync(
            "SELECT count(*) FROM conversations c WHERE c.account_id = 1 AND c.end_at >= 4990 AND coalesce(c.end_at, 0) >= 4990"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_destination_made_before_kinds_were_plug_ins_reads_the_same_after_migrating()
    {
        // Before step 7 a destination kept its timeout and retry schedule in its config and its secrets in columns.
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrations.ApplyAsync(connection, 0, CancellationToken.None, upTo: 6);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO accounts (id, name, plan, inactivity_timeout_seconds, created_at, updated_at) VALUES (1, 'One', 'pro', 60, 0, 0);
                INSERT INTO destinations (id, account_id, kind, name, enabled, disabled_reason, kinds, config, secret, previous_secret,
                    previous_secret_expires_at, created_at, updated_at, last_success_at, failing_since)
                VALUES ('dst_a', 1, 'webhook', 'CRM', 1, NULL, ',missed,',
                        '{"url":"https://crm.example/in","timeoutSeconds":7,"headers":{"X-B":"2","Authorization":"Bearer t"},"retrySchedule":["0","5s","2h"]}',
                        'whsec_new', 'whsec_old', 86400000, 10, 20, NULL, NULL),
                       ('dst_b', 1, 'webhook', NULL, 0, 'Disabled by a user.', ',', '{"url":"https://b.example/"}', 'whsec_b', NULL, NULL, 30, 40, 35, 36);
                """;
            await command.ExecuteNonQueryAsync();
        }

        var store = await OpenAsync(); // migrates to the latest step

        var a = await store.FindDestinationAsync("dst_a");
        Assert.NotNull(a);
        Assert.Equal(7, a.TimeoutSeconds);
        Assert.Equal(["0", "5s", "2h"], a.RetrySchedule);
        Assert.Equal("""{"url":"https://crm.example/in","headers":{"X-B":"2","Authorization":"Bearer t"}}""", a.Config);
        Assert.Equal("""{"secret":"whsec_new","previousSecret":"whsec_old","previousSecretExpiresAt":86400000}""", a.Secrets);
        Assert.Equal(["missed"], a.Kinds);
        var b = await store.FindDestinationAsync("dst_b");
        Assert.NotNull(b);
        Assert.Equal((15, 0, false, "Disabled by a user."), (b.TimeoutSeconds, b.RetrySchedule.Count, b.Enabled, b.DisabledReason));
        Assert.Equal("""{"secret":"whsec_b","previousSecret":null,"previousSecretExpiresAt":null}""", b.Secrets);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(35), b.LastSuccessAt);
    }

    [Fact]
    public async Task A_database_that_kept_bodies_twice_keeps_them_once_after_migrating_and_reads_the_same()
    {
        // Before step 6 a conversation's body was in conversations and in conversation_versions.
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrations.ApplyAsync(connection, 0, CancellationToken.None, upTo: 5);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO conversations (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at, body)
                VALUES (1, 7, 2, ',completed,', 10, 20, 'import', 30, CAST('{"v":2}' AS BLOB));
                INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body)
                VALUES (1, 7, 1, 'import', 25, CAST('{"v":1}' AS BLOB)), (1, 7, 2, 'import', 30, CAST('{"v":2}' AS BLOB));
                """;
            await command.ExecuteNonQueryAsync();
        }

        var store = await OpenAsync(); // migrates to the latest step

        var conversation = await store.GetConversationAsync(1, 7);
        Assert.Equal((2, "{\"v\":2}"), (conversation!.Version, System.Text.Encoding.UTF8.GetString(conversation.Body)));
        Assert.Equal("{\"v\":2}", System.Text.Encoding.UTF8.GetString(Assert.Single((await store.ListConversationsAsync(new Chatport.Storage.Conversations.ConversationQuery(1))).Items).Body));
        await using var check = new SqliteConnection($"Data Source={DbPath}");
        await check.OpenAsync();
        await using var columns = check.CreateCommand();
        columns.CommandText = "SELECT count(*) FROM pragma_table_info('conversations') WHERE name = 'body'";
        Assert.Equal(0L, await columns.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_kept_command_that_failed_in_one_session_works_in_the_next()
    {
        // The writer keeps SqliteCommands across sessions too (SqliteStatementCache); a failed execution must not
        // leave one unusable.
        var store = await OpenAsync();
        const string Insert = "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, 0)";
        await using (var failing = (SqliteStoreSession)await store.BeginAsync())
        {
            await Assert.ThrowsAsync<SqliteException>(() => failing.ExecuteAsync(Insert, command => command.AddInteger("@version", 1), CancellationToken.None)); // exists
        }
        await using (var next = (SqliteStoreSession)await store.BeginAsync())
        {
            Assert.Equal(1, await next.ExecuteAsync(Insert, command => command.AddInteger("@version", 1000), CancellationToken.None));
            await next.CommitAsync();
        }

        await using var check = new SqliteConnection($"Data Source={DbPath}");
        await check.OpenAsync();
        await using var command = check.CreateCommand();
        command.CommandText = "SELECT count(*) FROM schema_migrations WHERE version = 1000";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    public void Dispose() => _dir.Dispose();
}
