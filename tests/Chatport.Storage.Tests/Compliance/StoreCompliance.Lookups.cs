using Chatport.Storage.Sources;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_deleted_source_and_a_revoked_key_stop_working_at_once_here_and_within_five_seconds_on_another_node()
    {
        await AccountAsync(1);
        await Store.CreateSourceAsync(new HookSource("src-1", 1, "Smartsupp", "token", "tok-1", null, null, Start));
        await Store.CreateApiKeyAsync("key-1", 1, "ci", "cp_live_ab", [1, 2, 3]);
        var other = await ReopenStoreAsync(Time);
        try
        {
            // Both nodes have read (and keep) the live rows.
            Assert.NotNull(await Store.FindSourceByTokenAsync("tok-1"));
            Assert.Null((await Store.FindApiKeyAsync([1, 2, 3]))!.RevokedAt);
            Assert.NotNull(await other.FindSourceByTokenAsync("tok-1"));
            Assert.Null((await other.FindApiKeyAsync([1, 2, 3]))!.RevokedAt);

            Assert.True(await Store.DeleteSourceAsync(1, "src-1"));
            Assert.True(await Store.RevokeApiKeyAsync(1, "key-1"));
            Assert.Null(await Store.FindSourceByTokenAsync("tok-1"));
            Assert.NotNull((await Store.FindApiKeyAsync([1, 2, 3]))!.RevokedAt);

            Time.Advance(TimeSpan.FromSeconds(5));
            Assert.Null(await other.FindSourceByTokenAsync("tok-1"));
            Assert.NotNull((await other.FindApiKeyAsync([1, 2, 3]))!.RevokedAt);
        }
        finally
        {
            if (other is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_source_or_key_created_on_another_node_is_found_at_once()
    {
        await AccountAsync(1);
        var other = await ReopenStoreAsync(Time);
        try
        {
            Assert.Null(await Store.FindSourceByTokenAsync("tok-2"));
            Assert.Null(await Store.FindApiKeyAsync([4, 5, 6]));
            await other.CreateSourceAsync(new HookSource("src-2", 1, "Smartsupp", "token", "tok-2", null, null, Start));
            await other.CreateApiKeyAsync("key-2", 1, "ci", "cp_live_cd", [4, 5, 6]);
            Assert.NotNull(await Store.FindSourceByTokenAsync("tok-2"));
            Assert.NotNull(await Store.FindApiKeyAsync([4, 5, 6]));
        }
        finally
        {
            if (other is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
