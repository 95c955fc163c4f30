using Chatport.Storage.Chats;

namespace Chatport.Tests.Compliance;

/// <summary>A request's chats and events read and written a list at a time (PostgreSQL: a statement per list).</summary>
public abstract partial class StoreCompliance
{
    private EventWrite Event(long accountId, string id, string body = "{}") => new(accountId, id, 10, NowMs, NowMs, Utf8(body));

    [Fact]
    public async Task Chats_are_read_and_saved_a_list_at_a_time_in_the_order_given()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        await using (var session = await Store.BeginAsync())
        {
            await session.SaveChatsAsync([new ChatRecord(1, 10, Utf8("ten"), 1_000, Finished: false), new ChatRecord(1, 12, Utf8("twelve"), 1_200, Finished: true)]);
            await session.CommitAsync();
        }

        await using (var session = await Store.BeginAsync())
        {
            var chats = await session.GetChatsAsync([new(1, 12), new(1, 11), new(1, 10), new(2, 10)]);
            Assert.Equal(["twelve", null, "ten", null], chats.Select(c => c is null ? null : Text(c.State)));
            Assert.Equal((1L, 12L, 1_200L, true), (chats[0]!.AccountId, chats[0]!.ChatId, chats[0]!.LastEventAt, chats[0]!.Finished));
            Assert.Equal((1L, 10L, 1_000L, false), (chats[2]!.AccountId, chats[2]!.ChatId, chats[2]!.LastEventAt, chats[2]!.Finished));
            await session.SaveChatsAsync(
            [
                new ChatRecord(1, 11, Utf8("eleven"), 1_100, Finished: false),
                new ChatRecord(1, 12, [], 1_300, Finished: false),
                new ChatRecord(2, 10, new byte[1024 * 1024], 900, Finished: true),
            ]);
            await session.CommitAsync();
        }

        await using var check = await Store.BeginAsync();
        var read = await check.GetChatsAsync([new(1, 10), new(1, 11), new(1, 12), new(2, 10)]);
        Assert.Equal(["ten", "eleven", ""], read.Take(3).Select(c => Text(c!.State)));
        Assert.Equal((1_300L, false), (read[2]!.LastEventAt, read[2]!.Finished));
        Assert.Equal((1024 * 1024, 900L, true), (read[3]!.State.Length, read[3]!.LastEventAt, read[3]!.Finished));
        Assert.Equal([read[1]!.State], [(await check.GetChatAsync(1, 11))!.State]);
    }

    [Fact]
    public async Task Events_are_recorded_a_list_at_a_time_and_a_key_repeated_in_the_list_is_a_duplicate_of_its_first()
    {
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-0", 10, NowMs, NowMs, Utf8("{}")));
            await session.CommitAsync();
        }

        await using (var session = await Store.BeginAsync())
        {
            var recorded = await session.RecordEventsAsync([Event(1, "ev-1"), Event(1, "ev-0"), Event(1, "ev-2"), Event(1, "ev-1"), Event(2, "ev-1"), Event(1, "EV-1")]);
            Assert.Equal([true, false, true, false, true, true], recorded);
            await session.ForgetEventsAsync([Event(1, "ev-2"), Event(1, "ev-never-seen")]);
            await session.CommitAsync();
        }

        await using var retry = await Store.BeginAsync();
        Assert.Equal([true, false, false, false], await retry.RecordEventsAsync([Event(1, "ev-2"), Event(1, "ev-1"), Event(2, "ev-1"), Event(1, "ev-2")]));
        Assert.Empty(await retry.RecordEventsAsync([]));
        await retry.ForgetEventsAsync([]);
    }

    [Fact]
    public async Task Sessions_reading_the_same_chats_as_lists_take_turns_whether_the_chats_exist_or_not()
    {
        await AccountAsync(1);
        await using (var setup = await Store.BeginAsync())
        {
            await setup.SaveChatAsync(new ChatRecord(1, 30, Utf8("old"), 1_000, Finished: false));
            await setup.CommitAsync();
        }

        // Chat 30 exists, 31 and 32 do not: the first session holds all three until it commits.
        await using var first = await Store.BeginAsync(); // disposed early below; again (harmlessly) if an assertion fails
        var seen = await first.GetChatsAsync([new(1, 30), new(1, 31), new(1, 32)]);
        Assert.Equal(["old", null, null], seen.Select(c => c is null ? null : Text(c.State)));

        var second = Task.Run(async () =>
        {
            await using var session = await Store.BeginAsync();
            var chats = await session.GetChatsAsync([new(1, 32), new(1, 31), new(1, 30)]); // another order
            await session.SaveChatsAsync(chats.Select(c => c! with { State = Utf8(Text(c.State) + "B") }).ToList());
            await session.CommitAsync();
            return chats.Select(c => Text(c!.State)).ToArray();
        });
        await AssertBlockedAsync(second);
        await first.SaveChatsAsync([new ChatRecord(1, 30, Utf8("oldA"), 2_000, false), new ChatRecord(1, 31, Utf8("A"), 2_000, false), new ChatRecord(1, 32, Utf8("A"), 2_000, false)]);
        await first.CommitAsync();
        await first.DisposeAsync();

        Assert.Equal(["A", "A", "oldA"], await second);
        await using var check = await Store.BeginAsync();
        Assert.Equal(["oldAB", "AB", "AB"], (await check.GetChatsAsync([new(1, 30), new(1, 31), new(1, 32)])).Select(c => Text(c!.State)));
    }
}
