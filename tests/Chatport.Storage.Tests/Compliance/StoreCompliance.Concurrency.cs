using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;

namespace Chatport.Tests.Compliance;

/// <summary>
/// Two writers of one chat or conversation take turns, and claims never overlap. PostgreSQL runs these truly at
/// once on several connections; SQLite serializes them behind its one writer, and must pass all the same.
/// </summary>
public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_second_writer_of_a_conversation_waits_for_the_first_and_builds_on_it()
    {
        await AccountAsync(1);
        await using var first = await Store.BeginAsync(); // disposed early below; again (harmlessly) if an assertion fails
        Assert.Equal(ConversationWriteOutcome.Created, (await first.WriteConversationAsync(Conversation(1, 100, "from node A"))).Outcome);

        var second = Task.Run(() => WriteAsync(Conversation(1, 100, "from node B")));
        await AssertBlockedAsync(second);
        await first.CommitAsync();
        await first.DisposeAsync();

        Assert.Equal(new ConversationWriteResult(ConversationWriteOutcome.NewVersion, 2), await second);
        Assert.Equal("from node B", Text((await Store.GetConversationAsync(1, 100))!.Body));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_conversation_end_with_versions_1_and_2()
    {
        await AccountAsync(1);

        var results = await Task.WhenAll(Enumerable.Range(1, 12).SelectMany(chat => new[]
        {
            Task.Run(async () => (chat, await WriteAsync(Conversation(1, chat, $"A{chat}")))),
            Task.Run(async () => (chat, await WriteAsync(Conversation(1, chat, $"B{chat}")))),
        }));

        foreach (var perChat in results.GroupBy(r => r.chat))
        {
            Assert.Equal([1, 2], perChat.Select(r => r.Item2.Version).Order());
            Assert.Equal([ConversationWriteOutcome.Created, ConversationWriteOutcome.NewVersion], perChat.Select(r => r.Item2.Outcome).Order());
            Assert.Equal(2, (await Store.GetConversationAsync(1, perChat.Key))!.Version);
        }
    }

    [Fact]
    public async Task A_chat_read_in_a_session_is_held_until_the_session_ends()
    {
        await AccountAsync(1);
        await using (var seed = await Store.BeginAsync())
        {
            await seed.SaveChatAsync(new ChatRecord(1, 10, Utf8("0"), 1_000, Finished: false));
            await seed.CommitAsync();
        }

        await AssertChatSessionsTakeTurnsAsync(10, "0");
    }

    [Fact]
    public async Task A_new_chat_read_in_a_session_is_held_until_the_session_ends()
    {
        await AccountAsync(1);

        await AssertChatSessionsTakeTurnsAsync(11, null);
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_delivery()
    {
        await OutboxAsync();
        const int count = 120;
        await using (var session = await Store.BeginAsync())
        {
            for (var i = 0; i < count; i++)
            {
                await session.EnqueueDeliveryAsync(
                    new(i.ToString("d4", System.Globalization.CultureInfo.InvariantCulture), 1, "dst-1", 100, 1, ["completed"], 0, Start, ReadOnlyMemory<byte>.Empty), Start);
            }
            await session.CommitAsync();
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await Store.ClaimDueDeliveriesAsync("dst-1", Start, Start.AddMinutes(5), 7);
                if (batch.Count == 0)
                {
                    return mine;
                }
                mine.AddRange(batch.Select(w => w.Id));
            }
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Distinct().Count());
    }

    /// <summary>Session A reads the chat; B's read waits until A saves and commits, then sees A's state.</summary>
    private async Task AssertChatSessionsTakeTurnsAsync(long chatId, string? initialState)
    {
        await using var first = await Store.BeginAsync(); // disposed early below; again (harmlessly) if an assertion fails
        var seen = await first.GetChatAsync(1, chatId);
        Assert.Equal(initialState, seen is null ? null : Text(seen.State));

        var second = Task.Run(async () =>
        {
            await using var session = await Store.BeginAsync();
            var chat = await session.GetChatAsync(1, chatId);
            await session.SaveChatAsync(new ChatRecord(1, chatId, Utf8((chat is null ? "" : Text(chat.State)) + "B"), 3_000, Finished: false));
            await session.CommitAsync();
            return chat is null ? null : Text(chat.State);
        });
        await AssertBlockedAsync(second);
        await first.SaveChatAsync(new ChatRecord(1, chatId, Utf8((initialState ?? "") + "A"), 2_000, Finished: false));
        await first.CommitAsync();
        await first.DisposeAsync();

        Assert.Equal((initialState ?? "") + "A", await second);
        await using var check = await Store.BeginAsync();
        Assert.Equal((initialState ?? "") + "AB", Text((await check.GetChatAsync(1, chatId))!.State));
    }
}
