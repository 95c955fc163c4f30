using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatport.Tests.Api;

public sealed class AccountListTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        foreach (var id in new long[] { 30, 4, 12 })
        {
            await _server.PutAccountAsync(id);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_admin_lists_accounts_by_id_in_pages()
    {
        var all = await (await _server.Client.GetAsync("/v1/accounts")).ReadJsonAsync(HttpStatusCode.OK);
        var first = await (await _server.Client.GetAsync("/v1/accounts?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var next = first.GetProperty("next").GetString();
        var second = await (await _server.Client.GetAsync($"/v1/accounts?limit=2&after={next}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([4L, 12, 30], all.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("accountId").GetInt64()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);
        Assert.Equal("pro", all.GetProperty("items")[0].GetProperty("plan").GetString());
        Assert.Equal([4L, 12], first.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("accountId").GetInt64()));
        Assert.NotNull(next);
        Assert.Equal([30L], second.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("accountId").GetInt64()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task A_wrong_limit_or_cursor_is_a_400()
    {
        var limit = await (await _server.Client.GetAsync("/v1/accounts?limit=501")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var after = await (await _server.Client.GetAsync("/v1/accounts?after=nonsense!")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(limit.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.True(after.GetProperty("errors").TryGetProperty("after", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.Client.GetAsync("/v1/accounts?limit=0")).StatusCode);
    }

    [Fact]
    public async Task An_account_key_gets_403()
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/4/keys", new { name = "k" })).ReadJsonAsync(HttpStatusCode.Created);
        using var client = _server.NewClient(created.GetProperty("key").GetString());

        await (await client.GetAsync("/v1/accounts")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
