using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Chatport.Tests.Cluster;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Chatport.Tests.Destinations.Sql;

/// <summary>
/// The <c>sql</c> kind through the HTTP API on a real server, into a real SQLite file under the data dir and a real
/// PostgreSQL (<c>CHATPORT_TEST_POSTGRES</c>): the seed sample lands in its tables, a later version replaces it, a
/// replayed older one does not, the connection string stays masked, and a database that is down gets the conversation
/// once it is reachable.
/// </summary>
public sealed class SqlKindTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true"); // the test databases are on loopback
        await _server.PutAccountAsync(208); // pro: the sql kind needs it
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CreateAsync(string json) =>
        await (await _server.PostJsonAsync("/v1/accounts/208/destinations", json)).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<JsonElement> GetAsync(string path) => await (await _server.Client.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>The destination's deliveries, newest first, once <paramref name="done"/> holds for them.</summary>
    private Task<JsonElement[]> WaitForDeliveriesAsync(string destinationId, Func<JsonElement[], bool> done) =>
        _server.WaitForDeliveriesAsync(208, destinationId, done);

    private static bool AllSucceeded(JsonElement[] items, int count) =>
        items.Length == count && items.All(i => i.GetProperty("status").GetString() == "succeeded");

    private static string Rated(int rating) =>
        SeedEvents.CompactSample().Replace("\"rating\":5", $"\"rating\":{rating}", StringComparison.Ordinal);

    private async Task<string> AttemptResponseAsync(string deliveryId) =>
        (await GetAsync($"/v1/deliveries/{deliveryId}")).GetProperty("attemptLog").EnumerateArray().Last().GetProperty("response").GetString()!;

    [Fact]
    public async Task Sqlite_gets_the_sample_in_its_tables_a_newer_version_replaces_it_and_a_replayed_older_one_does_not()
    {
        var created = await CreateAsync("""{"kind":"sql","name":"Warehouse","provider":"sqlite","connectionString":"Data Source=export/chats.db"}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("sql", "sqlite", "chatport_", "Data Source=export/chats.db"), (created.GetProperty("kind").GetString(),
            created.GetProperty("provider").GetString(), created.GetProperty("tablePrefix").GetString(), created.GetProperty("connectionString").GetString()));
        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("connectionString").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await GetAsync("/v1/accounts/208/destinations"))[0].GetProperty("connectionString").ValueKind);

        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var first = (await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 1)))[0];
        var firstId = first.GetProperty("id").GetString()!;
        Assert.Equal("conversations row 208/55039 at version 1", await AttemptResponseAsync(firstId));

        var file = Path.Combine(_server.DataDir, "export", "chats.db");
        await using (var db = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await db.OpenAsync();
            await AssertSampleAsync(db, version: 1, rating: 5);
        }

        // A late rating: the same chat again, changed, is version 2, and replaces the row and its children.
        await (await _server.PostJsonAsync("/v1/conversations", Rated(2))).ReadJsonAsync(HttpStatusCode.OK);
        await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 2));
        await using (var db = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await db.OpenAsync();
            await AssertSampleAsync(db, version: 2, rating: 2);
        }

        // Version 1 replayed: delivered, skipped as older; the row stays at version 2.
        await (await _server.Client.PostAsync($"/v1/deliveries/{firstId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 2) && items.Single(i => i.GetProperty("id").GetString() == firstId).GetProperty("attempts").GetInt32() == 2);
        Assert.Equal("conversations row 208/55039 already holds a newer version; version 1 is older and was skipped", await AttemptResponseAsync(firstId));
        await using (var db = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await db.OpenAsync();
            await AssertSampleAsync(db, version: 2, rating: 2);
        }
    }

    [Theory]
    [InlineData("Data Source=../outside.db")]
    [InlineData("Data Source=export/../../outside.db")]
    [InlineData("Data Source=/tmp/outside.db")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=")]
    [InlineData("Colour=red")]
    [InlineData("Data Source=chatport.db")]
    public async Task A_sqlite_data_source_outside_the_data_dir_is_refused_naming_connectionString(string connectionString)
    {
        var refused = await (await _server.PostJsonAsync("/v1/accounts/208/destinations",
            JsonSerializer.Serialize(new { kind = "sql", provider = "sqlite", connectionString }))).ReadJsonAsync(HttpStatusCode.BadRequest);
        var error = refused.GetProperty("errors").GetProperty("connectionString")[0].GetString()!;
        Assert.Contains("connectionString", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_and_prefix_are_checked_and_the_kind_needs_pro()
    {
        var refused = await (await _server.PostJsonAsync("/v1/accounts/208/destinations",
            """{"kind":"sql","provider":"oracle","tablePrefix":"x; DROP TABLE y"}""")).ReadJsonAsync(HttpStatusCode.BadRequest);
        var errors = refused.GetProperty("errors");
        Assert.Contains("\"sqlite\" or \"postgres\"", errors.GetProperty("provider")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("letters, digits or underscores", errors.GetProperty("tablePrefix")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("required", errors.GetProperty("connectionString")[0].GetString(), StringComparison.Ordinal);

        await _server.PutAccountAsync(209, plan: "free");
        var free = await _server.PostJsonAsync("/v1/accounts/209/destinations", """{"kind":"sql","provider":"sqlite","connectionString":"Data Source=a.db"}""");
        Assert.False(free.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Postgres_gets_the_sample_and_a_database_that_is_down_gets_it_once_it_is_reachable()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var down = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = ClosedPort(), Timeout = 3 }.ToString();
        var created = await CreateAsync(JsonSerializer.Serialize(new
        {
            kind = "sql", provider = "postgres", connectionString = down, tablePrefix = "cp_", retrySchedule = new[] { "0", "0" },
        }));
        var id = created.GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var failed = (await WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        var deliveryId = failed.GetProperty("id").GetString()!;
        var log = (await GetAsync($"/v1/deliveries/{deliveryId}")).GetProperty("attemptLog").EnumerateArray().ToArray();
        Assert.Equal(3, log.Length);
        Assert.All(log, attempt =>
        {
            var error = attempt.GetProperty("error").GetString()!;
            Assert.StartsWith("Could not write to the PostgreSQL database: ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", error, StringComparison.Ordinal);
        });

        // Pointed at the live database and replayed: delivered, nothing lost.
        var patched = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}", new StringContent(
            JsonSerializer.Serialize(new { connectionString = database.ConnectionString }), Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(database.ConnectionString, patched.GetProperty("connectionString").GetString());
        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("connectionString").ValueKind);
        await (await _server.Client.PostAsync($"/v1/deliveries/{deliveryId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 1));
        Assert.Equal("conversations row 208/55039 at version 1", await AttemptResponseAsync(deliveryId));

        await using (var db = new NpgsqlConnection(database.ConnectionString))
        {
            await db.OpenAsync();
            await AssertSampleAsync(db, version: 1, rating: 5, prefix: "cp_");
        }

        // Version 2 replaces; version 1 replayed is skipped.
        await (await _server.PostJsonAsync("/v1/conversations", Rated(3))).ReadJsonAsync(HttpStatusCode.OK);
        await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 2));
        await (await _server.Client.PostAsync($"/v1/deliveries/{deliveryId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        await WaitForDeliveriesAsync(id, items => AllSucceeded(items, 2) && items.Single(i => i.GetProperty("id").GetString() == deliveryId).GetProperty("attempts").GetInt32() == 5);
        Assert.Contains("older and was skipped", await AttemptResponseAsync(deliveryId), StringComparison.Ordinal);
        await using (var db = new NpgsqlConnection(database.ConnectionString))
        {
            await db.OpenAsync();
            await AssertSampleAsync(db, version: 2, rating: 3, prefix: "cp_");
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The sample's values, read back with plain SQL.</summary>
    private static async Task AssertSampleAsync(DbConnection db, int version, int rating, string prefix = "chatport_")
    {
        var conversation = await RowsAsync(db, $"""
            SELECT version, kinds, begin_at, end_at, is_chat, is_missed, is_triggered, is_offline, is_completed, is_dropped,
                   duration, avg_response, first_response, messages_count, words_count, rating, rating_desc
            FROM {prefix}conversations WHERE account_id = 208 AND chat_id = 55039
            """);
        Same(db,
            [[(long)version, "completed", 1427470439703L, 1427470476687L, true, false, true, false, true, false, 36L, 14L, 14L, 5L, 11L, (long)rating, ""]],
            conversation);

        var visitor = await RowsAsync(db, $"""
            SELECT visitor_id, name, email, note, "group", ip_address, city, country_code, country, user_agent, platform, referer
            FROM {prefix}visitors WHERE account_id = 208 AND chat_id = 55039
            """);
        Same(db,
            [[27671L, "Dusan Kmet", "dusan@domain.com", "VIP customer", null, "89.235.0.55", "Czech Republic", "CZ", "Brno",
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36", "MacIntel", ""]],
            visitor);

        var messages = await RowsAsync(db, $"""
            SELECT position, type, name, "from", content, sent_at, triggered_by FROM {prefix}messages
            WHERE account_id = 208 AND chat_id = 55039 ORDER BY position
            """);
        const string Visitor = "visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015";
        Same(db,
            [
                [0L, "visitor", null, Visitor, "Hello", 1427470439703L, null],
                [1L, "system", "John Doe", "agent:3", "agent.join", 1427470446219L, null],
                [2L, "agent", "", "system", "This is triggered message", 1427470449706L, "Test Trigger"],
                [3L, "agent", "John Doe", "agent:3", "Hi, how can i help you ?", 1427470453772L, null],
                [4L, "visitor", "Dusan Kmet", Visitor, "tanks.", 1427470473124L, null],
                [5L, "system", "Dusan Kmet", "system", "close.visitorClose", 1427470476687L, null],
            ],
            messages);

        var paths = await RowsAsync(db, $"SELECT position, url, title FROM {prefix}paths WHERE account_id = 208 AND chat_id = 55039 ORDER BY position");
        Same(db,
            [
                [0L, "http://developers.smartsupp.com/smartsupp/hook-post", "POST Hook · Smartsupp"],
                [1L, "http://developers.smartsupp.com", "API · Smartsupp"],
            ],
            paths);

        var variables = await RowsAsync(db, $"SELECT key, label, value, value_type FROM {prefix}variables WHERE account_id = 208 AND chat_id = 55039 ORDER BY key");
        Same(db,
            [
                ["chatId", "Chat ID", "208", "number"],
                ["chatPackage", "Chat Package", "pro", "string"],
                ["userId", "User ID", "1234", "string"],
            ],
            variables);

        Same(db, [[1L]], await RowsAsync(db, $"SELECT version FROM {prefix}schema"));
    }

    /// <summary>Compares rows as JSON text; SQLite keeps booleans as 0 and 1, so an expected true or false is 1 or 0 there.</summary>
    private static void Same(DbConnection db, object?[][] expected, List<List<object?>> actual)
    {
        var sqlite = db is SqliteConnection;
        var normalized = expected.Select(row => row.Select(v => v switch { bool b when sqlite => (object)(b ? 1L : 0L), int n => (long)n, _ => v }).ToList()).ToList();
        Assert.Equal(JsonSerializer.Serialize(normalized), JsonSerializer.Serialize(actual));
    }

    /// <summary>Rows as lists of values: integers as long.</summary>
    private static async Task<List<List<object?>>> RowsAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<List<object?>>();
        while (await reader.ReadAsync())
        {
            var row = new List<object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Add(reader.IsDBNull(i) ? null : reader.GetValue(i) switch { int n => (long)n, var v => v });
            }
            rows.Add(row);
        }
        return rows;
    }
}
