using Chatport.Storage.Conversations;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_conversation_is_created_then_deduplicated_then_versioned()
    {
        await AccountAsync(1);

        var created = await WriteAsync(Conversation(1, 100, "first", ["missed", "offline"], endAt: 2_000, beginAt: 1_000, source: "import"));
        var duplicate = await WriteAsync(Conversation(1, 100, "first", ["missed", "offline"], endAt: 2_000, beginAt: 1_000, source: "import"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var changed = await WriteAsync(Conversation(1, 100, "second", ["completed"], endAt: 3_000, beginAt: 1_000, source: "hook"));
        var duplicateOfChanged = await WriteAsync(Conversation(1, 100, "second", ["completed"], endAt: 3_000, beginAt: 1_000, source: "hook"));

        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.Created, 1), created);
        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.Duplicate, 1), duplicate);
        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.NewVersion, 2), changed);
        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.Duplicate, 2), duplicateOfChanged);
        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.NewVersion, 3), await WriteAsync(Conversation(1, 100, "first")));
        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.Created, 1), await WriteAsync(Conversation(2, 100, "first")));
    }

    [Fact]
    public async Task A_list_written_in_one_call_gets_the_versions_one_write_after_another_would()
    {
        await AccountAsync(1);
        await WriteAsync(Conversation(1, 103, "stored before"));

        IReadOnlyList<ConversationWriteResult> written;
        await using (var session = await Store.BeginAsync())
        {
            written = await session.WriteConversationsAsync(
            [
                Conversation(1, 100, "a", ["missed", "offline"], endAt: 2_000, beginAt: 1_000, source: "import"),
                Conversation(1, 101, "b", []),
                Conversation(1, 100, "a", ["missed", "offline"], endAt: 2_000, beginAt: 1_000, source: "import"), // again in the list
                Conversation(1, 100, "c", ["completed"]), // changed later in the same list
                Conversation(1, 103, "stored before"),
                Conversation(1, 104, "d", exportBody: "d as exported"),
            ]);
            await session.CommitAsync();
        }

        Assert.Equal(
        [
            new ConversationWriteResult(ConversationWriteOutcome.Created, 1),
            new ConversationWriteResult(ConversationWriteOutcome.Created, 1),
            new ConversationWriteResult(ConversationWriteOutcome.Duplicate, 1),
            new ConversationWriteResult(ConversationWriteOutcome.NewVersion, 2),
            new ConversationWriteResult(ConversationWriteOutcome.Duplicate, 1),
            new ConversationWriteResult(ConversationWriteOutcome.Created, 1),
        ], written);
        var latest = await Store.GetConversationAsync(1, 100);
        Assert.Equal((2, "c"), (latest!.Version, Text(latest.Body)));
        Assert.Equal(["completed"], latest.Kinds);
        Assert.Empty((await Store.GetConversationAsync(1, 101))!.Kinds);
        Assert.Equal("d", Text((await Store.GetConversationAsync(1, 104))!.Body));
    }

    [Fact]
    public async Task The_latest_version_is_read_back_exactly()
    {
        await AccountAsync(1);
        await WriteAsync(Conversation(1, 100, "first", ["missed"], endAt: 2_000, beginAt: 1_000, source: "import"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(Conversation(1, 100, """{"channel":{"id":100},"ž":"ünïcode"}""", ["missed", "offline"], endAt: null, beginAt: 1_500, source: "hook"));

        var stored = await Store.GetConversationAsync(1, 100);

        Assert.NotNull(stored);
        Assert.Equal((1L, 100L, 2, (long?)1_500, (long?)null, "hook", Start.AddMinutes(1)),
            (stored.AccountId, stored.ChatId, stored.Version, stored.BeginAt, stored.EndAt, stored.Source, stored.StoredAt));
        Assert.Equal(["missed", "offline"], stored.Kinds);
        Assert.Equal("""{"channel":{"id":100},"ž":"ünïcode"}""", Text(stored.Body));
        Assert.Null(await Store.GetConversationAsync(1, 101));
        Assert.Null(await Store.GetConversationAsync(2, 100));
    }

    [Fact]
    public async Task Every_version_keeps_its_own_body_and_export_body()
    {
        await OutboxAsync(); // conversation 100 v1 "v1"
        await WriteAsync(Conversation(1, 100, "v2", exportBody: "v2 as exported"));
        await EnqueueAsync("del-1", "dst-1", 1, 100, version: 1, createdAt: Start);
        await EnqueueAsync("del-2", "dst-1", 1, 100, version: 2, createdAt: Start.AddSeconds(1));

        var work = await Store.ClaimDueDeliveriesAsync("dst-1", Now.AddSeconds(1), Now.AddMinutes(1), 10);

        Assert.Equal(["v1", "v2 as exported"], work.Select(w => Text(w.Body)));
        Assert.Equal("v2", Text((await Store.GetConversationAsync(1, 100))!.Body));
    }

    [Fact]
    public async Task Conversations_are_listed_newest_first_by_kind_and_time_in_pages()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        await WriteAsync(Conversation(1, 1, "c1", ["completed"], endAt: 1_000));
        await WriteAsync(Conversation(1, 2, "c2", ["missed", "offline"], endAt: 3_000));
        await WriteAsync(Conversation(1, 3, "c3", ["completed"], endAt: 3_000));
        await WriteAsync(Conversation(1, 4, "c4", ["dropped"], endAt: null));
        await WriteAsync(Conversation(1, 5, "c5", ["chat"], endAt: 2_000));
        await WriteAsync(Conversation(2, 6, "c6", ["completed"], endAt: 5_000));

        async Task AssertChatsAsync(long[] expected, ConversationQuery query) =>
            Assert.Equal(expected, (await Store.ListConversationsAsync(query)).Items.Select(c => c.ChatId));

        await AssertChatsAsync([3, 2, 5, 1, 4], new ConversationQuery(1));
        await AssertChatsAsync([3, 1], new ConversationQuery(1, Kind: "completed"));
        await AssertChatsAsync([2], new ConversationQuery(1, Kind: "offline"));
        await AssertChatsAsync([], new ConversationQuery(1, Kind: "miss"));
        await AssertChatsAsync([3, 2, 5], new ConversationQuery(1, From: 2_000));
        await AssertChatsAsync([5, 1, 4], new ConversationQuery(1, To: 3_000));
        await AssertChatsAsync([5, 1], new ConversationQuery(1, From: 1_000, To: 3_000));
        await AssertChatsAsync([6], new ConversationQuery(2));

        var first = await Store.ListConversationsAsync(new ConversationQuery(1, Limit: 2));
        Assert.Equal([3, 2], first.Items.Select(c => c.ChatId));
        Assert.Equal(new ConversationCursor(3_000, 2), first.Next);
        var second = await Store.ListConversationsAsync(new ConversationQuery(1, After: first.Next, Limit: 2));
        Assert.Equal([5, 1], second.Items.Select(c => c.ChatId));
        Assert.Equal(new ConversationCursor(1_000, 1), second.Next);
        var last = await Store.ListConversationsAsync(new ConversationQuery(1, After: second.Next, Limit: 2));
        Assert.Equal([4], last.Items.Select(c => c.ChatId));
        Assert.Null(last.Next);

        var exact = await Store.ListConversationsAsync(new ConversationQuery(1, Limit: 5));
        Assert.Equal(5, exact.Items.Count);
        Assert.Null(exact.Next);
        var completedPage = await Store.ListConversationsAsync(new ConversationQuery(1, Kind: "completed", After: new ConversationCursor(3_000, 3), Limit: 1));
        Assert.Equal([1], completedPage.Items.Select(c => c.ChatId));
        Assert.Null(completedPage.Next);
    }

    [Fact]
    public async Task A_kind_filter_matches_whole_kinds_exactly()
    {
        await AccountAsync(1);
        await WriteAsync(Conversation(1, 1, "c1", ["missed", "offline"], endAt: 1_000));
        await WriteAsync(Conversation(1, 2, "c2", ["completed"], endAt: 2_000));

        foreach (var notAKind in new[] { "MISSED", "Missed", "%", "miss_d", "missed,offline", "" })
        {
            Assert.Empty((await Store.ListConversationsAsync(new ConversationQuery(1, Kind: notAKind))).Items);
        }
        Assert.Equal([1L], (await Store.ListConversationsAsync(new ConversationQuery(1, Kind: "missed"))).Items.Select(c => c.ChatId));
    }
}
