using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatport.Tests.Limits;

/// <summary>
/// Issue 17: the destinations, inbound hooks and API keys one account may have are bounded by
/// <c>Chatport:Limits</c> (50, 50 and 100 by default; 2 here), and one more is a 409 problem detail that names the
/// setting; deleting (or revoking) one makes room. Another account is not affected.
/// </summary>
public sealed class PerAccountLimitsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(settings:
            ["--Chatport:Limits:DestinationsPerAccount=2", "--Chatport:Limits:SourcesPerAccount=2", "--Chatport:Limits:KeysPerAccount=2"]);
        await _server.PutAccountAsync(208);
        await _server.PutAccountAsync(209);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> AssertLimitAsync(HttpResponseMessage response, string setting, string detail)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(setting, problem.GetProperty("limit").GetString());
        Assert.Equal(2, problem.GetProperty("max").GetInt32());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        return problem;
    }

    [Fact]
    public async Task A_third_destination_is_a_409_naming_the_limit_until_one_is_deleted()
    {
        var ids = new List<string>();
        foreach (var body in new object[] { new { kind = "webhook", url = "https://a.example/" }, new { kind = "file", format = "jsonl", path = "a.jsonl" } })
        {
            ids.Add((await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", body)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        var problem = await AssertLimitAsync(await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://c.example/" }),
            "Chatport:Limits:DestinationsPerAccount",
            "Account 208 has 2 destinations, the most one account may have (Chatport:Limits:DestinationsPerAccount is 2); delete one first.");
        Assert.Equal("Too many destinations", problem.GetProperty("title").GetString());
        Assert.Equal(2, (await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/209/destinations", new { kind = "webhook", url = "https://c.example/" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/destinations/{ids[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://c.example/" })).StatusCode);
    }

    [Fact]
    public async Task An_account_key_cannot_make_more_destinations_than_the_limit()
    {
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "platform" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString();
        using var client = _server.NewClient(key);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = $"https://crm{i}.example/" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], answers);
    }

    [Fact]
    public async Task A_third_inbound_hook_is_a_409_naming_the_limit_until_one_is_deleted()
    {
        var first = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook" })).ReadJsonAsync(HttpStatusCode.Created);

        await AssertLimitAsync(await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook" }),
            "Chatport:Limits:SourcesPerAccount",
            "Account 208 has 2 inbound hooks, the most one account may have (Chatport:Limits:SourcesPerAccount is 2); delete one first.");

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/sources/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook" })).StatusCode);
    }

    [Fact]
    public async Task A_third_key_is_a_409_naming_the_limit_and_a_revoked_key_makes_room()
    {
        var first = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "a" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "b" })).ReadJsonAsync(HttpStatusCode.Created);

        await AssertLimitAsync(await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "c" }),
            "Chatport:Limits:KeysPerAccount",
            "Account 208 has 2 API keys, the most one account may have (Chatport:Limits:KeysPerAccount is 2); revoke one first.");

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/keys/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "c" })).StatusCode);
    }

    [Fact]
    public async Task The_defaults_are_50_destinations_50_sources_and_100_keys()
    {
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<Chatport.Application.LimitsOptions>>(_server.Services).Value;
        Assert.Equal(2, options.DestinationsPerAccount);
        var defaults = new Chatport.Application.LimitsOptions();
        Assert.Equal((50, 50, 100), (defaults.DestinationsPerAccount, defaults.SourcesPerAccount, defaults.KeysPerAccount));
    }
}
