using System.Text.Json;
using Chatport.Storage.Conversations;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    private static string SearchBody(long chatId, string? name = null, string? email = null, string[]? messages = null, string extra = "") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["accountId"] = 1,
            ["channel"] = new Dictionary<string, object?> { ["id"] = chatId, ["note"] = extra },
            ["visitor"] = new Dictionary<string, object?> { ["name"] = name, ["email"] = email },
            ["messages"] = (messages ?? []).Select(m => new Dictionary<string, object?> { ["content"] = m, ["type"] = "visitor" }).ToArray(),
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private async Task<long[]> SearchAsync(string search, string? kind = null, long? from = null, long? to = null, int limit = 50) =>
        [.. (await Store.ListConversationsAsync(new ConversationQuery(1, kind, from, to, Limit: limit, Search: search))).Items.Select(c => c.ChatId)];

    private async Task SearchSampleAsync()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        await WriteAsync(Conversation(1, 1, SearchBody(1, name: "Jana Nováková", email: "jana@example.com", messages: ["Hello there"]), ["completed"], endAt: 1_000));
        await WriteAsync(Conversation(1, 2, SearchBody(2, name: "Petr", email: "PETR@Example.org", messages: ["My order 100% failed", "under_score and back\\slash"]), ["missed"], endAt: 2_000));
        await WriteAsync(Conversation(1, 3, SearchBody(3, name: null, email: null, messages: ["Where is my ORDER?"]), ["completed"], endAt: 3_000));
        await WriteAsync(Conversation(1, 4, SearchBody(4, name: "visitor", messages: ["hi"], extra: "order in a field search does not read"), ["dropped"], endAt: 4_000));
        await WriteAsync(Conversation(1, 5, "not json, but it says order", ["completed"], endAt: 5_000));
        await WriteAsync(Conversation(2, 6, SearchBody(6, name: "Jana", messages: ["order"]), ["completed"], endAt: 6_000));
    }

    [Fact]
    public async Task A_search_finds_the_visitors_name_email_and_message_text_ignoring_case()
    {
        await SearchSampleAsync();

        Assert.Equal(new long[] { 1L }, await SearchAsync("jana"));
        Assert.Equal(new long[] { 1L }, await SearchAsync("NOvá")); // ASCII case folded, the rest as written
        Assert.Equal(new long[] { 1L }, await SearchAsync("@EXAMPLE.COM"));
        Assert.Equal(new long[] { 2L }, await SearchAsync("petr@example"));
        Assert.Equal(new long[] { 3L, 2L }, await SearchAsync("order"));
        Assert.Equal(new long[] { 1L }, await SearchAsync("hello THERE"));
        Assert.Equal(new long[] { 4L }, await SearchAsync("visitor")); // the name, not the key "visitor" every body has
        Assert.Empty(await SearchAsync("channel"));
        Assert.Empty(await SearchAsync("a field search"));
        Assert.Empty(await SearchAsync("nobody"));
    }

    [Fact]
    public async Task A_search_takes_percent_underscore_and_backslash_literally()
    {
        await SearchSampleAsync();

        Assert.Equal(new long[] { 2L }, await SearchAsync("100%"));
        Assert.Empty(await SearchAsync("1%0"));
        Assert.Equal(new long[] { 2L }, await SearchAsync("under_score"));
        Assert.Empty(await SearchAsync("under_sc_re"));
        Assert.Empty(await SearchAsync("_____x"));
        // A backslash is stored escaped in JSON (\\), which the database's pre-filter does not read through: a known limit.
        Assert.Empty(await SearchAsync("back\\slash"));
    }

    [Fact]
    public async Task A_search_combines_with_kind_and_time_filters_and_pages()
    {
        await SearchSampleAsync();
        await WriteAsync(Conversation(1, 7, SearchBody(7, messages: ["another order"]), ["completed"], endAt: 2_000));

        Assert.Equal(new long[] { 3L, 7L, 2L }, await SearchAsync("order"));
        Assert.Equal(new long[] { 3L, 7L }, await SearchAsync("order", kind: "completed"));
        Assert.Equal(new long[] { 7L, 2L }, await SearchAsync("order", to: 3_000));
        Assert.Equal(new long[] { 3L }, await SearchAsync("order", from: 2_500));
        Assert.Equal(new long[] { 2L }, await SearchAsync("order", kind: "missed", from: 1_000, to: 3_000));

        var first = await Store.ListConversationsAsync(new ConversationQuery(1, Limit: 2, Search: "ORDER"));
        Assert.Equal([3L, 7L], first.Items.Select(c => c.ChatId));
        Assert.Equal(new ConversationCursor(2_000, 7), first.Next);
        var second = await Store.ListConversationsAsync(new ConversationQuery(1, After: first.Next, Limit: 2, Search: "ORDER"));
        Assert.Equal([2L], second.Items.Select(c => c.ChatId));
        Assert.Null(second.Next);
        var exact = await Store.ListConversationsAsync(new ConversationQuery(1, Limit: 3, Search: "order"));
        Assert.Equal(3, exact.Items.Count);
        Assert.Null(exact.Next);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.ListConversationsAsync(new ConversationQuery(1, Search: new string('x', ConversationQuery.MaxSearchLength + 1))));
    }

    [Fact]
    public async Task A_search_stops_after_its_bound_and_says_where_to_go_on()
    {
        await AccountAsync(1);
        await WriteAsync(Conversation(1, 1, SearchBody(1, name: "Needle"), endAt: 1));
        await using (var session = await Store.BeginAsync())
        {
            // Rows the database's pre-filter lets through (the text is in a field a search does not read).
            for (var chat = 2; chat <= ConversationQuery.MaxSearchExamined + 10; chat++)
            {
                await session.WriteConversationAsync(Conversation(1, chat, SearchBody(chat, extra: "needle"), endAt: 1_000 + chat));
            }
            await session.CommitAsync();
        }

        var first = await Store.ListConversationsAsync(new ConversationQuery(1, Limit: 10, Search: "needle"));
        Assert.Empty(first.Items);
        Assert.NotNull(first.Next);
        var second = await Store.ListConversationsAsync(new ConversationQuery(1, After: first.Next, Limit: 10, Search: "needle"));
        Assert.Equal([1L], second.Items.Select(c => c.ChatId));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Every_version_of_a_conversation_is_listed_newest_first()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        await WriteAsync(Conversation(1, 100, "v1", source: "import"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(Conversation(1, 100, "v2", source: "hook", exportBody: "v2 exported"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(Conversation(1, 100, "v3"));
        await WriteAsync(Conversation(1, 101, "other"));
        await WriteAsync(Conversation(2, 100, "other account"));

        var versions = await Store.ListConversationVersionsAsync(1, 100);

        Assert.Equal(
            [(3, "live", Start.AddMinutes(2), "v3"), (2, "hook", Start.AddMinutes(1), "v2"), (1, "import", Start, "v1")],
            versions.Select(v => (v.Version, v.Source, v.StoredAt, Text(v.Body))));
        Assert.Empty(await Store.ListConversationVersionsAsync(1, 102));
        Assert.Empty(await Store.ListConversationVersionsAsync(3, 100));
    }

    [Fact]
    public async Task At_most_the_newest_hundred_versions_are_listed()
    {
        await AccountAsync(1);
        for (var v = 1; v <= StoredConversationVersion.MaxListed + 5; v++)
        {
            await WriteAsync(Conversation(1, 100, $"v{v}"));
        }

        var versions = await Store.ListConversationVersionsAsync(1, 100);

        Assert.Equal(StoredConversationVersion.MaxListed, versions.Count);
        Assert.Equal(StoredConversationVersion.MaxListed + 5, versions[0].Version);
        Assert.Equal(6, versions[^1].Version);
    }
}
