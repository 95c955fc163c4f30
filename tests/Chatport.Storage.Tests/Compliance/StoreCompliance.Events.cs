namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task An_event_is_recorded_once_per_account_and_id()
    {
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("""{"a":1}""")));
            Assert.False(await session.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("""{"a":1}""")));
            Assert.True(await session.RecordEventAsync(2, "ev-1", 10, NowMs, NowMs, Utf8("""{"a":1}""")));
            await session.CommitAsync();
        }

        await using var again = await Store.BeginAsync();
        Assert.False(await again.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("""{"a":2}""")));
        Assert.True(await again.RecordEventAsync(1, "ev-2", 10, NowMs, NowMs, Utf8("""{"a":2}""")));
    }

    [Fact]
    public async Task A_forgotten_event_is_judged_again()
    {
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("{}")));
            await session.ForgetEventAsync(1, "ev-1");
            Assert.True(await session.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("{}")));
            await session.ForgetEventAsync(1, "ev-1");
            await session.ForgetEventAsync(1, "ev-never-seen");
            await session.CommitAsync();
        }

        await using var retry = await Store.BeginAsync();
        Assert.True(await retry.RecordEventAsync(1, "ev-1", 10, NowMs, NowMs, Utf8("{}")));
    }

    [Fact]
    public async Task An_event_row_keeps_what_it_was_recorded_with_and_a_duplicate_changes_nothing()
    {
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(7, "ev-a", 70, 1_001, 2_002, Utf8("""{"first":true}""")));
            Assert.True(await session.RecordEventAsync(7, "ev-empty", 71, 3_003, 4_004, ReadOnlyMemory<byte>.Empty));
            Assert.False(await session.RecordEventAsync(7, "ev-a", 99, 9_009, 9_009, Utf8("""{"second":true}""")));
            await session.CommitAsync();
        }
        await using (var session = await Store.BeginAsync())
        {
            Assert.False(await session.RecordEventAsync(7, "ev-a", 98, 8_008, 8_008, Utf8("""{"third":true}""")));
            await session.CommitAsync();
        }

        Assert.Equal(EventRow(70, 1_001, 2_002, """{"first":true}"""), await StoredEventAsync(7, "ev-a"));
        Assert.Equal(EventRow(71, 3_003, 4_004, ""), await StoredEventAsync(7, "ev-empty"));
        Assert.Null(await StoredEventAsync(70, "ev-a"));
    }

    [Fact]
    public async Task Forgetting_an_event_forgets_only_that_accounts_id_and_it_can_be_recorded_again()
    {
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "ev-1", 10, 100, 100, Utf8("one")));
            Assert.True(await session.RecordEventAsync(2, "ev-1", 10, 200, 200, Utf8("two")));
            Assert.True(await session.RecordEventAsync(1, "ev-2", 10, 300, 300, Utf8("three")));
            await session.ForgetEventAsync(1, "ev-1");
            Assert.False(await session.RecordEventAsync(2, "ev-1", 10, 400, 400, Utf8("again")));
            Assert.False(await session.RecordEventAsync(1, "ev-2", 10, 400, 400, Utf8("again")));
            Assert.True(await session.RecordEventAsync(1, "ev-1", 11, 500, 600, Utf8("anew")));
            await session.CommitAsync();
        }
        await using (var session = await Store.BeginAsync())
        {
            await session.ForgetEventAsync(2, "ev-1");
            await session.CommitAsync();
        }

        Assert.Equal(EventRow(11, 500, 600, "anew"), await StoredEventAsync(1, "ev-1"));
        Assert.Null(await StoredEventAsync(2, "ev-1"));
        Assert.Equal(EventRow(10, 300, 300, "three"), await StoredEventAsync(1, "ev-2"));
        await using var again = await Store.BeginAsync();
        Assert.True(await again.RecordEventAsync(2, "ev-1", 10, 700, 700, Utf8("back")));
        Assert.False(await again.RecordEventAsync(1, "ev-1", 10, 700, 700, Utf8("back")));
    }

    private static (long ChatId, long At, long ReceivedAt, string Body) EventRow(long chatId, long at, long receivedAt, string body) =>
        (chatId, at, receivedAt, body);

    /// <summary>The events row as the database holds it (its body must be bytes, never NULL); null when there is none.</summary>
    private async Task<(long ChatId, long At, long ReceivedAt, string Body)?> StoredEventAsync(long accountId, string id)
    {
        var row = await RowAsync("SELECT chat_id, at, received_at, body FROM events WHERE account_id = @p0 AND id = @p1", accountId, id);
        return row is null
            ? null
            : (Convert.ToInt64(row[0]), Convert.ToInt64(row[1]), Convert.ToInt64(row[2]), Text(Assert.IsType<byte[]>(row[3])));
    }
}
