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
}
