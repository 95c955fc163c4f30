namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task Api_keys_are_created_found_by_hash_listed_and_revoked()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        var one = await Store.CreateApiKeyAsync("key-1", 1, "ci", "cp_live_ab", [1, 2, 3]);
        Time.Advance(TimeSpan.FromSeconds(1));
        var two = await Store.CreateApiKeyAsync("key-2", 1, "portal", "cp_live_cd", [4, 5, 6]);
        await Store.CreateApiKeyAsync("key-3", 2, "other", "cp_live_ef", [7, 8, 9]);

        var found = await Store.FindApiKeyAsync([1, 2, 3]);
        Assert.NotNull(found);
        Assert.Equal(("key-1", 1L, "ci", "cp_live_ab", Start, (DateTimeOffset?)null),
            (found.Id, found.AccountId, found.Name, found.Prefix, found.CreatedAt, found.RevokedAt));
        Assert.Equal([1, 2, 3], found.Hash);
        Assert.Equal(Start, one.CreatedAt);
        Assert.Null(await Store.FindApiKeyAsync([9, 9, 9]));
        Assert.Equal(["key-1", "key-2"], (await Store.ListApiKeysAsync(1)).Select(k => k.Id));
        Assert.Equal(two.CreatedAt, (await Store.ListApiKeysAsync(1))[1].CreatedAt);

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.RevokeApiKeyAsync(1, "key-1"));
        var revokedAt = Now;
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.RevokeApiKeyAsync(1, "key-1"));
        Assert.False(await Store.RevokeApiKeyAsync(2, "key-2"));
        Assert.False(await Store.RevokeApiKeyAsync(1, "key-404"));

        Assert.Equal(revokedAt, (await Store.FindApiKeyAsync([1, 2, 3]))?.RevokedAt);
        Assert.Null((await Store.FindApiKeyAsync([4, 5, 6]))?.RevokedAt);
    }
}
