using System.Data.Common;
using System.Text;
using Chatport.Delivery;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Destinations.Sql;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Chatport.Tests.Cluster;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatport.Tests.Destinations.Sql;

/// <summary>
/// The <c>sql</c> kind's batched writes, on a real SQLite file and a real PostgreSQL: many deliveries sent at once
/// all land (they share transactions), two versions of one chat in one batch end with the newer one whichever comes
/// first, a JSON key given twice does not make the conversation unwritable, and a conversation the database refuses
/// fails alone while the rest of its batch is written.
/// </summary>
public sealed class SqlBatchTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("chatport-sqlbatch-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private SqlKind Kind() => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Chatport:DataDir"] = _dataDir }).Build(),
        Options.Create(new DeliveryOptions { AllowPrivateTargets = true }), TimeProvider.System);

    private static Destination Destination(string provider, string connectionString) => new(
        "dst_batch", 208, "sql", null, true, null, [], 15, [], new SqlConfig(provider, "b_").Serialize(),
        new SqlSecrets(connectionString).Serialize(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null);

    private static DeliveryWork Delivery(long chatId, int version, string body) =>
        new($"dlv_{chatId}_{version}", 208, "dst_batch", chatId, version, ["completed"], 0, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(body));

    private static string Sample(int rating) =>
        SeedEvents.CompactSample().Replace("\"rating\":5", $"\"rating\":{rating}", StringComparison.Ordinal);

    private static async Task<List<object?[]>> RowsAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(row);
        }
        return rows;
    }

    private async Task<DbConnection> OpenAsync(string provider, string connectionString)
    {
        DbConnection db = provider == "postgres"
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection($"Data Source={Path.Combine(_dataDir, "batch.db")};Pooling=False");
        await db.OpenAsync();
        return db;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Four_hundred_deliveries_sent_at_once_all_land_with_their_children(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var connectionString = database?.ConnectionString ?? "Data Source=batch.db";
        await using var kind = Kind();
        var destination = Destination(provider, connectionString);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 400).Select(chat =>
            Task.Run(() => kind.SendAsync(destination, Delivery(chat, 1, Sample(chat % 5 + 1)), 1, CancellationToken.None))));

        Assert.All(outcomes, outcome => Assert.Equal(SendResult.Delivered, outcome.Result));
        await using var db = await OpenAsync(provider, connectionString);
        Assert.Equal([[400L, 400L * 1, 1200L]], await RowsAsync(db,
            "SELECT COUNT(*), SUM(version), SUM(rating) FROM b_conversations"));
        Assert.Equal([[400L * 6, 400L, 400L * 2]], await RowsAsync(db,
            "SELECT (SELECT COUNT(*) FROM b_messages), (SELECT COUNT(*) FROM b_visitors), (SELECT COUNT(*) FROM b_paths)"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_versions_of_one_chat_in_one_batch_end_with_the_newer_one_whichever_comes_first(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var connectionString = database?.ConnectionString ?? "Data Source=batch.db";
        await using var kind = Kind();
        // Creates the tables (and the file) through the kind, as a first delivery does.
        Assert.Equal(SendResult.Delivered, (await kind.SendAsync(Destination(provider, connectionString), Delivery(1, 1, Sample(1)), 1, CancellationToken.None)).Result);

        await using var db = await OpenAsync(provider, connectionString);
        var writer = new SqlWriter(db, provider == "postgres", new SqlTables("b_"), 15);
        var tables = new SqlTables("b_");
        // Chat 2: the newer version first, then the older; chat 3: the older first, then the newer.
        var written = await writer.WriteAsync(
        [
            SqlRows.Of(Delivery(2, 2, Sample(2)), tables), SqlRows.Of(Delivery(2, 1, Sample(1).Replace("\"Hello\"", "\"Old\"")), tables),
            SqlRows.Of(Delivery(3, 1, Sample(1)), tables), SqlRows.Of(Delivery(3, 2, Sample(3)), tables),
        ], CancellationToken.None);

        Assert.Equal([true, false, true, true], written);
        Assert.Equal([[2L, 2L, 2L], [3L, 2L, 3L]], await RowsAsync(db,
            "SELECT chat_id, version, rating FROM b_conversations WHERE chat_id IN (2, 3) ORDER BY chat_id"));
        // Each kept its newer version's children only: six messages and one visitor, not twelve and two.
        Assert.Equal([[2L, 6L, 1L], [3L, 6L, 1L]], await RowsAsync(db, """
            SELECT c.chat_id, (SELECT COUNT(*) FROM b_messages m WHERE m.chat_id = c.chat_id),
                   (SELECT COUNT(*) FROM b_visitors v WHERE v.chat_id = c.chat_id)
            FROM b_conversations c WHERE c.chat_id IN (2, 3) ORDER BY c.chat_id
            """));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_variable_key_given_twice_keeps_its_last_value_instead_of_making_the_conversation_unwritable(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var connectionString = database?.ConnectionString ?? "Data Source=batch.db";
        await using var kind = Kind();
        var body = SeedEvents.CompactSample().Replace("\"variables\":{", "\"variables\":{\"plan\":{\"label\":\"Plan\",\"value\":\"free\"},\"plan\":{\"label\":\"Plan\",\"value\":\"pro\"},",
            StringComparison.Ordinal);
        Assert.NotEqual(SeedEvents.CompactSample(), body);

        var outcome = await kind.SendAsync(Destination(provider, connectionString), Delivery(9, 1, body), 1, CancellationToken.None);

        Assert.True(outcome.Result == SendResult.Delivered, outcome.Error);
        await using var db = await OpenAsync(provider, connectionString);
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT value FROM b_variables WHERE chat_id = 9 AND key = 'plan'";
        Assert.Equal("pro", await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_chat_of_250_messages_lands_whole_though_one_statement_takes_at_most_100_rows(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var connectionString = database?.ConnectionString ?? "Data Source=batch.db";
        await using var kind = Kind();
        var messages = string.Join(",", Enumerable.Range(0, 250).Select(i =>
            $$"""{"type":"visitor","name":"Dusan Kmet","from":"visitor:1","content":"line {{i}}","sentAt":{{1427470439703 + i}}}"""));
        var sample = SeedEvents.CompactSample();
        var body = sample[..sample.IndexOf("\"messages\":[", StringComparison.Ordinal)] + $"\"messages\":[{messages}]}}";
        Assert.Contains("line 249", body, StringComparison.Ordinal);

        var outcome = await kind.SendAsync(Destination(provider, connectionString), Delivery(7, 1, body), 1, CancellationToken.None);

        Assert.True(outcome.Result == SendResult.Delivered, outcome.Error);
        await using var db = await OpenAsync(provider, connectionString);
        Assert.Equal([[250L, 0L, 249L, 1427470439703L + 249]], await RowsAsync(db,
            "SELECT COUNT(*), MIN(position), MAX(position), MAX(sent_at) FROM b_messages WHERE chat_id = 7"));
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT content FROM b_messages WHERE chat_id = 7 AND position = 137";
        Assert.Equal("line 137", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_conversation_postgres_refuses_fails_alone_and_the_rest_of_its_batch_is_written()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var kind = Kind();
        var destination = Destination("postgres", database.ConnectionString);
        // PostgreSQL text cannot hold a NUL character: this one conversation cannot be written there.
        var poison = SeedEvents.CompactSample().Replace("\"Hello\"", "\"Hel\\u0000lo\"", StringComparison.Ordinal);
        Assert.NotEqual(SeedEvents.CompactSample(), poison);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 60).Select(chat =>
            Task.Run(() => kind.SendAsync(destination, Delivery(chat, 1, chat == 30 ? poison : Sample(4)), 1, CancellationToken.None))));

        Assert.Equal(SendResult.Retry, outcomes[29].Result);
        Assert.StartsWith("Could not write to the PostgreSQL database: ", outcomes[29].Error, StringComparison.Ordinal);
        Assert.All(outcomes.Where((_, i) => i != 29), outcome => Assert.Equal(SendResult.Delivered, outcome.Result));
        await using var db = await OpenAsync("postgres", database.ConnectionString);
        Assert.Equal([[59L, 0L]], await RowsAsync(db, "SELECT COUNT(*), COUNT(*) FILTER (WHERE chat_id = 30) FROM b_conversations"));
    }
}
