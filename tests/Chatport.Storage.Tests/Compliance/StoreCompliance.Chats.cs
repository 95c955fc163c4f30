using Chatport.Storage.Chats;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_chat_is_saved_read_back_and_replaced()
    {
        await AccountAsync(1);
        await using (var session = await Store.BeginAsync())
        {
            Assert.Null(await session.GetChatAsync(1, 10));
            await session.SaveChatAsync(new ChatRecord(1, 10, [1, 2, 3], 1_000, Finished: false));
            await session.CommitAsync();
        }
        await using (var session = await Store.BeginAsync())
        {
            var chat = await session.GetChatAsync(1, 10);
            Assert.NotNull(chat);
            Assert.Equal((1L, 10L, 1_000L, false), (chat.AccountId, chat.ChatId, chat.LastEventAt, chat.Finished));
            Assert.Equal([1, 2, 3], chat.State);
            await session.SaveChatAsync(new ChatRecord(1, 10, [4], 2_000, Finished: true));
            await session.CommitAsync();
        }

        await using var check = await Store.BeginAsync();
        var finished = await check.GetChatAsync(1, 10);
        Assert.NotNull(finished);
        Assert.Equal((2_000L, true), (finished.LastEventAt, finished.Finished));
        Assert.Equal([4], finished.State);
        Assert.Null(await check.GetChatAsync(2, 10));
        Assert.Equal(0, await Store.CountOpenChatsAsync());
    }

    [Fact]
    public async Task Inactive_chats_follow_their_accounts_timeout_oldest_first()
    {
        await AccountAsync(1, inactivityTimeoutSeconds: 60);
        await AccountAsync(2, inactivityTimeoutSeconds: 600);
        var now = NowMs;
        await using (var session = await Store.BeginAsync())
        {
            await session.SaveChatAsync(new ChatRecord(1, 10, [0], now - 120_000, Finished: false)); // 2 min > 1 min: inactive
            await session.SaveChatAsync(new ChatRecord(1, 11, [0], now - 30_000, Finished: false)); // 30 s: active
            await session.SaveChatAsync(new ChatRecord(1, 12, [0], now - 1_000_000, Finished: true)); // finished: never
            await session.SaveChatAsync(new ChatRecord(1, 13, [0], now - 60_000, Finished: false)); // exactly the timeout: inactive
            await session.SaveChatAsync(new ChatRecord(2, 20, [0], now - 700_000, Finished: false)); // 700 s > 600 s: inactive
            await session.SaveChatAsync(new ChatRecord(2, 21, [0], now - 300_000, Finished: false)); // 300 s < 600 s: active
            await session.CommitAsync();
        }

        Assert.Equal([new ChatKey(2, 20), new ChatKey(1, 10), new ChatKey(1, 13)], await Store.FindInactiveChatsAsync(now, 10));
        Assert.Equal([new ChatKey(2, 20), new ChatKey(1, 10)], await Store.FindInactiveChatsAsync(now, 2));
        Assert.Equal([new ChatKey(2, 20)], await Store.FindInactiveChatsAsync(now - 60_001, 10));
        Assert.Equal(5, await Store.CountOpenChatsAsync());
    }
}
