using Chatport.Storage.Sources;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task Sources_are_created_found_listed_and_deleted()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        var one = new HookSource("src-1", 1, "Smartsupp", "basic", "tok-1", "user", "pass", Start);
        var two = new HookSource("src-2", 1, "Standard", "standard", "tok-2", null, "whsec_x", Start.AddSeconds(1));
        var three = new HookSource("src-3", 2, "Token", "token", "tok-3", null, null, Start);
        await Store.CreateSourceAsync(two);
        await Store.CreateSourceAsync(one);
        await Store.CreateSourceAsync(three);

        Assert.Equal(one, await Store.GetSourceAsync(1, "src-1"));
        Assert.Null(await Store.GetSourceAsync(2, "src-1"));
        Assert.Equal(three, await Store.FindSourceByTokenAsync("tok-3"));
        Assert.Null(await Store.FindSourceByTokenAsync("tok-404"));
        Assert.Equal([one, two], await Store.ListSourcesAsync(1));

        Assert.False(await Store.DeleteSourceAsync(2, "src-1"));
        Assert.True(await Store.DeleteSourceAsync(1, "src-1"));
        Assert.False(await Store.DeleteSourceAsync(1, "src-1"));
        Assert.Null(await Store.FindSourceByTokenAsync("tok-1"));
        Assert.Equal([two], await Store.ListSourcesAsync(1));
    }

    [Fact]
    public async Task A_message_id_is_refused_as_a_replay_until_it_is_forgotten()
    {
        var window = TimeSpan.FromMinutes(5);
        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RememberMessageIdAsync("src-1", "msg-1", Now, Now - window));
            Assert.False(await session.RememberMessageIdAsync("src-1", "msg-1", Now, Now - window));
            Assert.True(await session.RememberMessageIdAsync("src-2", "msg-1", Now, Now - window));
            await session.CommitAsync();
        }

        Time.Advance(TimeSpan.FromMinutes(4));
        await using (var session = await Store.BeginAsync())
        {
            Assert.False(await session.RememberMessageIdAsync("src-1", "msg-1", Now, Now - window));
            Assert.True(await session.RememberMessageIdAsync("src-1", "msg-2", Now, Now - window));
            await session.CommitAsync();
        }

        Time.Advance(TimeSpan.FromMinutes(2)); // msg-1 is 6 minutes old, msg-2 is 2
        await using var later = await Store.BeginAsync();
        Assert.True(await later.RememberMessageIdAsync("src-1", "msg-1", Now, Now - window));
        Assert.False(await later.RememberMessageIdAsync("src-1", "msg-2", Now, Now - window));
        Assert.True(await later.RememberMessageIdAsync("src-2", "msg-1", Now, Now - window));
    }
}
