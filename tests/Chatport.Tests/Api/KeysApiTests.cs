using System.Net;
using System.Net.Http.Json;

namespace Chatport.Tests.Api;

public sealed class KeysApiTests : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private string _key = null!;
    private string _keyId = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
        await _server.PutAccountAsync(209);
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "chat platform" })).ReadJsonAsync(HttpStatusCode.Created);
        _key = created.GetProperty("key").GetString()!;
        _keyId = created.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_account_key_reaches_its_own_account_only()
    {
        using var client = _server.NewClient(_key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/208")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/208/conversations")).StatusCode);
        var problem = await (await client.GetAsync("/v1/accounts/209/conversations")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("account 208", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_only_calls_are_403_with_an_account_key()
    {
        using var client = _server.NewClient(_key);

        await (await client.PutAsJsonAsync("/v1/accounts/208", new { name = "x", plan = "pro" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "more" })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Events_of_another_account_are_403_and_nothing_is_stored()
    {
        using var client = _server.NewClient(_key);
        var mixed = $"[{string.Join(",", SeedEvents.Events(208, 1, "a").Take(3).Concat(SeedEvents.Events(209, 1, "b").Take(1)))}]";

        var problem = await (await client.PostAsync("/v1/events", new StringContent(mixed, System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(3, problem.GetProperty("errors")[0].GetProperty("index").GetInt32());
        var retry = await client.PostAsync("/v1/events", new StringContent(SeedEvents.All(208, 1, "a"), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(10, (await retry.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Listing_never_shows_the_key_and_a_revoked_key_is_refused()
    {
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/keys")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(_key, list.ToString(), StringComparison.Ordinal);
        Assert.Equal(_key[..14], list[0].GetProperty("prefix").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/keys/{_keyId}")).StatusCode);

        using var client = _server.NewClient(_key);
        var problem = await (await client.GetAsync("/v1/accounts/208")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_for_an_unknown_account_is_a_404()
    {
        await (await _server.Client.PostAsJsonAsync("/v1/accounts/5555/keys", new { name = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
