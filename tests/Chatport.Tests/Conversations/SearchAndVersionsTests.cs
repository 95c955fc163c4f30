using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Conversations;

public sealed class SearchAndVersionsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Conversation(long chatId, long endAt, string name, string email, string message)
    {
        var node = JsonNode.Parse(SeedEvents.CompactSample())!;
        node["channel"]!["id"] = chatId;
        node["endAt"] = endAt;
        node["visitor"]!["name"] = name;
        node["visitor"]!["email"] = email;
        node["messages"]![0]!["content"] = message;
        return node.ToJsonString();
    }

    private async Task ImportAsync(params string[] conversations) =>
        await (await _server.PostJsonAsync("/v1/conversations", $"[{string.Join(",", conversations)}]")).ReadJsonAsync(HttpStatusCode.OK);

    private async Task<(long[] Chats, string? Next)> ListAsync(string query)
    {
        var page = await (await _server.Client.GetAsync($"/v1/accounts/208/conversations?{query}")).ReadJsonAsync(HttpStatusCode.OK);
        return ([.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("chatId").GetInt64())],
            page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString());
    }

    [Fact]
    public async Task Q_finds_conversations_by_visitor_name_email_or_message_ignoring_case()
    {
        await ImportAsync(
            Conversation(1, 1_000, "Jana Novak", "jana@example.com", "Hello"),
            Conversation(2, 2_000, "Petr", "petr@example.org", "Where is my ORDER 50%?"),
            Conversation(3, 3_000, "Eva", "eva@example.net", "an order"));

        Assert.Equal(new long[] { 1L }, (await ListAsync("q=JANA")).Chats);
        Assert.Equal(new long[] { 2L }, (await ListAsync("q=PETR%40EXAMPLE")).Chats);
        Assert.Equal(new long[] { 3L, 2L }, (await ListAsync("q=order")).Chats);
        Assert.Equal(new long[] { 2L }, (await ListAsync("q=50%25")).Chats);
        Assert.Empty((await ListAsync("q=5_%25")).Chats);
        Assert.Equal(new long[] { 2L }, (await ListAsync("q=order&to=3000")).Chats);
        Assert.Equal(new long[] { 3L, 2L, 1L }, (await ListAsync("q=")).Chats);

        var first = await ListAsync("q=order&limit=1");
        Assert.Equal([3L], first.Chats);
        Assert.NotNull(first.Next);
        var second = await ListAsync($"q=order&limit=1&cursor={first.Next}");
        Assert.Equal([2L], second.Chats);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task A_q_longer_than_200_characters_is_a_400()
    {
        var ok = await _server.Client.GetAsync($"/v1/accounts/208/conversations?q={new string('x', 200)}");
        var problem = await (await _server.Client.GetAsync($"/v1/accounts/208/conversations?q={new string('x', 201)}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("A search is at most 200 characters; this one has 201.", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Every_version_is_listed_newest_first_with_its_body()
    {
        var v1 = SeedEvents.CompactSample();
        var changed = JsonNode.Parse(v1)!;
        changed["channel"]!["rating"] = 1;
        await ImportAsync(v1);
        await ImportAsync(changed.ToJsonString());

        var versions = await (await _server.Client.GetAsync("/v1/accounts/208/conversations/55039/versions")).ReadJsonAsync(HttpStatusCode.OK);

        var items = versions.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([2, 1], items.Select(i => i.GetProperty("version").GetInt32()));
        Assert.All(items, i => Assert.Equal("import", i.GetProperty("source").GetString()));
        Assert.All(items, i => Assert.True(i.GetProperty("storedAt").TryGetDateTimeOffset(out _)));
        Assert.Equal(1, items[0].GetProperty("body").GetProperty("channel").GetProperty("rating").GetInt32());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(v1), JsonNode.Parse(items[1].GetProperty("body").GetRawText())));
        await (await _server.Client.GetAsync("/v1/accounts/208/conversations/1/versions")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
