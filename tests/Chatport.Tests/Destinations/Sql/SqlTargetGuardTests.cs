using System.Net;
using System.Text.Json;
using Chatport.Delivery.Safety;
using Chatport.Tests.Cluster;
using Npgsql;

namespace Chatport.Tests.Destinations.Sql;

/// <summary>
/// The SSRF guard covers a <c>postgres</c> sql destination as it covers webhooks: with private targets not allowed (the
/// default), a connection string naming this machine, a private address or a Unix socket is refused when it is saved,
/// and a name that resolves to a private address is refused before each connection, so an account key cannot make
/// Chatport write into a database on its own network.
/// </summary>
public sealed class SqlTargetGuardTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> CreateAsync(string connectionString) =>
        _server.PostJsonAsync("/v1/accounts/208/destinations",
            JsonSerializer.Serialize(new { kind = "sql", provider = "postgres", connectionString, retrySchedule = new[] { "0" } }));

    [Theory]
    [InlineData("Host=127.0.0.1;Database=x", "Host 127.0.0.1 is a private address")]
    [InlineData("Host=localhost;Database=x", "Host localhost is this machine")]
    [InlineData("Host=/var/run/postgresql;Database=x", "Host /var/run/postgresql is a Unix socket on this machine")]
    [InlineData("Host=db.example.com,10.0.0.5:5433;Database=x", "Host 10.0.0.5 is a private address")]
    [InlineData("Host=[::1]:5432;Database=x", "Host ::1 is a private address")]
    public async Task A_connection_string_naming_a_private_host_is_refused_when_saved(string connectionString, string expected)
    {
        var errors = (await (await CreateAsync(connectionString)).ReadJsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        var message = errors.GetProperty("connectionString")[0].GetString()!;
        Assert.StartsWith("connectionString's " + expected, message, StringComparison.Ordinal);
        Assert.EndsWith("Set Chatport:Delivery:AllowPrivateTargets to true to allow it.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Database=x", message, StringComparison.Ordinal); // the secret is not echoed
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_a_private_address_is_refused_before_connecting()
    {
        // This machine's own name resolves to loopback or a private address (checked here, so the test says when it cannot hold).
        var name = Dns.GetHostName();
        var addresses = await Dns.GetHostAddressesAsync(name);
        Assert.True(addresses.Length > 0 && addresses.All(a => AddressPolicy.IsBlocked(a, out _)),
            $"this test needs the machine's name ({name}) to resolve to private addresses only; it resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}");

        // A live PostgreSQL on loopback, named by the machine's name: it would accept the write.
        await using var database = await PostgresDatabase.CreateAsync();
        var byName = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = name }.ToString();
        var id = (await (await CreateAsync(byName)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var failed = (await _server.WaitForDeliveriesAsync(208, id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        var log = (await (await _server.Client.GetAsync($"/v1/deliveries/{failed.GetProperty("id").GetString()}")).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("attemptLog").EnumerateArray().ToArray();
        var error = log[^1].GetProperty("error").GetString()!;
        Assert.StartsWith($"Blocked before connecting: Blocked delivery target '{name}': {BlockedTargetException.ResolvedReason}.", error, StringComparison.Ordinal);

        // Nothing reached the database: the export tables were never made.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from information_schema.tables where table_name like 'chatport_%'", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
