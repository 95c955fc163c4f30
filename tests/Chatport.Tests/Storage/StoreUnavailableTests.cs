using System.Diagnostics;
using System.Net;
using Chatport.Tests.Cluster;
using Chatport.Tests.Logging;
using Npgsql;

namespace Chatport.Tests.Storage;

/// <summary>
/// A PostgreSQL that cannot answer in time — a statement stuck behind a lock, every pooled connection busy — is a
/// 503 with <c>Retry-After</c> within the configured bound, never a request left waiting; the process keeps
/// answering meanwhile, and everything works again once the database does.
/// </summary>
public sealed class StoreUnavailableTests
{
    private const string Account = """{"name":"Acme","plan":"pro"}""";

    private static async Task<(PostgresDatabase Database, ChatportServer Server)> StartAsync(string connectionSuffix, params string[] settings) =>
        await StartAsync(connectionSuffix, null, settings);

    private static async Task<(PostgresDatabase Database, ChatportServer Server)> StartAsync(string connectionSuffix, LogCapture? logs, params string[] settings)
    {
        var database = await PostgresDatabase.CreateAsync();
        var server = await ChatportServer.StartAsync(configure: logs is null ? null : logs.AddTo, settings: [
            "--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={database.ConnectionString}{connectionSuffix}", .. settings]);
        await (await server.PutAccountAsync(208)).ReadJsonAsync(HttpStatusCode.Created);
        return (database, server);
    }

    /// <summary>Holds the account's row lock in an open transaction of the test's own, until disposed.</summary>
    private static async Task<NpgsqlConnection> LockAccountAsync(PostgresDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; SELECT id FROM accounts WHERE id = 208 FOR UPDATE", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string reason, Stopwatch elapsed, TimeSpan within)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {body}");
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < within, $"the 503 took {elapsed.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_statement_past_the_command_timeout_is_stopped_by_the_server_and_answered_503()
    {
        using var logs = new LogCapture();
        var (database, server) = await StartAsync("", logs, "--Chatport:Storage:CommandTimeout=00:00:01");
        await using var _ = database;
        await using var __ = server;
        await using (await LockAccountAsync(database))
        {
            var elapsed = Stopwatch.StartNew();
            var update = server.Client.PutAsync("/v1/accounts/208", new StringContent(Account, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode); // answering meanwhile
            await AssertUnavailableAsync(await update, "Chatport:Storage:CommandTimeout", elapsed, TimeSpan.FromSeconds(10));
        }
        // The route's pattern, never the path.
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("PUT /v1/accounts/{accountId}", StringComparison.Ordinal) && e.Message.Contains("answered 503", StringComparison.Ordinal));
        var again = await server.Client.PutAsync("/v1/accounts/208", new StringContent(Account, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task An_exhausted_pool_answers_503_after_the_connect_timeout_instead_of_queueing()
    {
        // Two connections: the dispatcher's LISTEN keeps one, the blocked update below takes the other.
        var (database, server) = await StartAsync(";Maximum Pool Size=2", "--Chatport:Storage:ConnectTimeout=00:00:01");
        await using var _ = database;
        await using var __ = server;
        Task<HttpResponseMessage> update;
        await using (await LockAccountAsync(database))
        {
            update = server.Client.PutAsync("/v1/accounts/208", new StringContent(Account, System.Text.Encoding.UTF8, "application/json"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var elapsed = Stopwatch.StartNew();
                var read = await server.Client.GetAsync("/v1/accounts/208");
                if (read.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await AssertUnavailableAsync(read, "every connection of the pool is busy", elapsed, TimeSpan.FromSeconds(5));
                    break;
                }
                // The update may not hold its connection yet: then the read got it and answered.
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.True(DateTime.UtcNow < deadline, "the pool was never exhausted");
            }
            var ready = await server.Client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("store:", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await update).StatusCode); // the lock is gone: the update that waited for it committed
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/accounts/208")).StatusCode);
    }
}
