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

    [Fact]
    public async Task A_chats_state_reads_back_byte_exact_empty_or_a_megabyte()
    {
        await AccountAsync(1);
        var large = new byte[1024 * 1024];
        new Random(20).NextBytes(large);
        large[0] = 0;
        large[^1] = 0;
        await using (var session = await Store.BeginAsync())
        {
            await session.SaveChatAsync(new ChatRecord(1, 10, [], 1_000, Finished: false));
            await session.SaveChatAsync(new ChatRecord(1, 11, large, 2_000, Finished: true));
            await session.SaveChatAsync(new ChatRecord(1, 12, [0, 0xFF, 0], 3_000, Finished: false));
            var empty = await session.GetChatAsync(1, 10);
            Assert.NotNull(empty);
            Assert.Empty(empty.State);
            Assert.Equal(large, (await session.GetChatAsync(1, 11))?.State);
            await session.CommitAsync();
        }

        await using (var session = await Store.BeginAsync())
        {
            var empty = await session.GetChatAsync(1, 10);
            Assert.NotNull(empty);
            Assert.Equal((1L, 10L, 1_000L, false), (empty.AccountId, empty.ChatId, empty.LastEventAt, empty.Finished));
            Assert.Empty(empty.State);
            var big = await session.GetChatAsync(1, 11);
            Assert.NotNull(big);
            Assert.Equal((1L, 11L, 2_000L, true), (big.AccountId, big.ChatId, big.LastEventAt, big.Finished));
            Assert.Equal(large, big.State);
            var small = await session.GetChatAsync(1, 12);
            Assert.NotNull(small);
            Assert.Equal((3_000L, false), (small.LastEventAt, small.Finished));
            Assert.Equal([0, 0xFF, 0], small.State);

            // A finished chat opened again, a grown state shrunk to nothing.
            await session.SaveChatAsync(new ChatRecord(1, 11, [], 4_000, Finished: false));
            await session.SaveChatAsync(new ChatRecord(1, 10, [5], 5_000, Finished: true));
            await session.CommitAsync();
        }

        Assert.Equal(ChatRow([], 4_000, false), await StoredChatAsync(1, 11));
        Assert.Equal(ChatRow([5], 5_000, true), await StoredChatAsync(1, 10));
        Assert.Equal(ChatRow([0, 0xFF, 0], 3_000, false), await StoredChatAsync(1, 12));
        Assert.Equal(2, await Store.CountOpenChatsAsync());
        Assert.Equal([new ChatKey(1, 12), new ChatKey(1, 11)], await Store.FindInactiveChatsAsync(1_000_000_000, 10));
    }

    [Fact]
    public async Task A_session_reads_a_chat_row_as_the_database_holds_it()
    {
        await AccountAsync(3);
        await AccountAsync(30);
        await ExecuteOnDatabaseAsync(
            "INSERT INTO chats (account_id, chat_id, state, last_event_at, finished) VALUES (@p0, @p1, @p2, @p3, @p4)",
            3L, 30L, new byte[] { 3, 0, 30 }, 12_345L, true);
        await ExecuteOnDatabaseAsync(
            "INSERT INTO chats (account_id, chat_id, state, last_event_at, finished) VALUES (@p0, @p1, @p2, @p3, @p4)",
            30L, 3L, Array.Empty<byte>(), 54_321L, false);

        await using var session = await Store.BeginAsync();
        var chat = await session.GetChatAsync(3, 30);
        Assert.NotNull(chat);
        Assert.Equal((3L, 30L, 12_345L, true), (chat.AccountId, chat.ChatId, chat.LastEventAt, chat.Finished));
        Assert.Equal([3, 0, 30], chat.State);
        var other = await session.GetChatAsync(30, 3);
        Assert.NotNull(other);
        Assert.Equal((30L, 3L, 54_321L, false), (other.AccountId, other.ChatId, other.LastEventAt, other.Finished));
        Assert.Empty(other.State);
        Assert.Null(await session.GetChatAsync(3, 3));
    }

    private static (string State, long LastEventAt, bool Finished) ChatRow(byte[] state, long lastEventAt, bool finished) =>
        (Convert.ToHexString(state), lastEventAt, finished);

    /// <summary>The chats row as the database holds it (its state must be bytes, never NULL); null when there is none.</summary>
    private async Task<(string State, long LastEventAt, bool Finished)?> StoredChatAsync(long accountId, long chatId)
    {
        var row = await RowAsync("SELECT state, last_event_at, finished FROM chats WHERE account_id = @p0 AND chat_id = @p1", accountId, chatId);
        return row is null ? null : (Convert.ToHexString(Assert.IsType<byte[]>(row[0])), Convert.ToInt64(row[1]), Convert.ToBoolean(row[2]));
    }
}
