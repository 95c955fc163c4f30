using Chatport.Storage.Chats;
using Chatport.Storage.Deliveries;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_committed_session_makes_all_its_writes_visible()
    {
        await OutboxAsync();

        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-1", 200, NowMs, NowMs, Utf8("{}")));
            await session.SaveChatAsync(new ChatRecord(1, 200, Utf8("state"), NowMs, Finished: false));
            await session.WriteConversationAsync(Conversation(1, 200, "body"));
            await session.EnqueueDeliveryAsync(new DeliveryWork("del-1", 1, "dst-1", 200, 1, ["completed"], 0, Now, Utf8("body")), Now);
            Assert.True(await session.RememberMessageIdAsync("src-1", "msg-1", Now, Now.AddMinutes(-5)));
            await session.CommitAsync();
        }

        Assert.NotNull(await Store.GetConversationAsync(1, 200));
        Assert.Equal(1, await Store.CountOpenChatsAsync());
        Assert.NotNull(await Store.GetDeliveryAsync("del-1"));
        await using var check = await Store.BeginAsync();
        Assert.False(await check.RecordEventAsync(1, "ev-1", 200, NowMs, NowMs, Utf8("{}")));
        Assert.False(await check.RememberMessageIdAsync("src-1", "msg-1", Now, Now.AddMinutes(-5)));
        Assert.NotNull(await check.GetChatAsync(1, 200));
    }

    [Fact]
    public async Task A_session_disposed_without_commit_leaves_nothing_behind()
    {
        await OutboxAsync();

        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-1", 200, NowMs, NowMs, Utf8("{}")));
            await session.SaveChatAsync(new ChatRecord(1, 200, Utf8("state"), NowMs, Finished: false));
            await session.WriteConversationAsync(Conversation(1, 200, "body"));
            await session.WriteConversationAsync(Conversation(1, 100, "v2"));
            await session.EnqueueDeliveryAsync(new DeliveryWork("del-1", 1, "dst-1", 200, 1, ["completed"], 0, Now, Utf8("body")), Now);
            Assert.True(await session.RememberMessageIdAsync("src-1", "msg-1", Now, Now.AddMinutes(-5)));
        }

        Assert.Null(await Store.GetConversationAsync(1, 200));
        Assert.Equal(1, (await Store.GetConversationAsync(1, 100))?.Version);
        Assert.Equal(0, await Store.CountOpenChatsAsync());
        Assert.Null(await Store.GetDeliveryAsync("del-1"));
        Assert.Equal(new QueueStats(0, null), await Store.GetQueueStatsAsync());
        await using var check = await Store.BeginAsync();
        Assert.True(await check.RecordEventAsync(1, "ev-1", 200, NowMs, NowMs, Utf8("{}")));
        Assert.True(await check.RememberMessageIdAsync("src-1", "msg-1", Now, Now.AddMinutes(-5)));
        Assert.Null(await check.GetChatAsync(1, 200));
    }

    [Fact]
    public async Task Disposing_a_committed_session_twice_is_harmless()
    {
        await AccountAsync(1);
        var session = await Store.BeginAsync();
        await session.SaveChatAsync(new ChatRecord(1, 7, Utf8("s"), NowMs, Finished: false));
        await session.CommitAsync();

        await session.DisposeAsync();
        await session.DisposeAsync();

        Assert.Equal(1, await Store.CountOpenChatsAsync());
    }
}
