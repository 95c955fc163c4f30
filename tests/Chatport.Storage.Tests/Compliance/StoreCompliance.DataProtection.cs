using Chatport.Storage;
using Chatport.Storage.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    /// <summary>A second, migrated store on the database under test, as after a restart (or on another node).</summary>
    protected abstract Task<IChatportStore> ReopenStoreAsync(FakeTimeProvider time);

    private static string KeyXml(string id) =>
        $"""<key id="{id}" version="1"><creationDate>2026-11-26T09:00:00Z</creationDate><descriptor>sécret ✓</descriptor></key>""";

    [Fact]
    public async Task Data_protection_keys_come_back_newest_first_as_stored_and_survive_reopening_the_store()
    {
        Assert.Empty(await Store.ListDataProtectionKeysAsync());

        await Store.StoreDataProtectionKeyAsync("key-one", KeyXml("one"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.StoreDataProtectionKeyAsync(null, KeyXml("two"));

        var listed = await Store.ListDataProtectionKeysAsync();
        Assert.Equal([("two", (string?)null, Start.AddMinutes(1)), ("one", "key-one", Start)],
            listed.Select(k => (k.Xml == KeyXml("two") ? "two" : k.Xml == KeyXml("one") ? "one" : k.Xml, k.FriendlyName, k.CreatedAt)));
        Assert.True(listed[0].Id > listed[1].Id);

        var reopened = await ReopenStoreAsync(new FakeTimeProvider(Start.AddHours(1)));
        Assert.Equal(listed, await reopened.ListDataProtectionKeysAsync());
        await reopened.StoreDataProtectionKeyAsync("key-three", KeyXml("three"));
        Assert.Equal(["key-three", null, "key-one"], (await Store.ListDataProtectionKeysAsync()).Select(k => k.FriendlyName));
    }

    [Fact]
    public async Task A_data_protection_key_list_holds_the_newest_thousand()
    {
        var count = IDataProtectionKeyStore.MaxListed + 2;
        for (var i = 0; i < count; i++)
        {
            await Store.StoreDataProtectionKeyAsync($"key-{i}", KeyXml(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var listed = await Store.ListDataProtectionKeysAsync();

        Assert.Equal(IDataProtectionKeyStore.MaxListed, listed.Count);
        Assert.Equal(Enumerable.Range(2, IDataProtectionKeyStore.MaxListed).Reverse().Select(i => $"key-{i}"), listed.Select(k => k.FriendlyName));
    }

    [Fact]
    public async Task An_oversized_data_protection_key_is_refused_and_one_at_the_bounds_is_kept()
    {
        var atBound = "<k>" + new string('a', IDataProtectionKeyStore.MaxXmlBytes - 7) + "</k>";
        Assert.Equal(IDataProtectionKeyStore.MaxXmlBytes, atBound.Length);
        var name = new string('n', IDataProtectionKeyStore.MaxFriendlyNameLength);

        var longName = await Assert.ThrowsAsync<ArgumentException>(() => Store.StoreDataProtectionKeyAsync(name + "n", KeyXml("x")));
        Assert.Equal("friendlyName", longName.ParamName);
        var bigXml = await Assert.ThrowsAsync<ArgumentException>(() => Store.StoreDataProtectionKeyAsync("big", atBound + " "));
        Assert.Equal("xml", bigXml.ParamName);
        Assert.DoesNotContain("aaaa", bigXml.Message, StringComparison.Ordinal); // a key is never in a message
        // Fewer characters than the bound, but more bytes of UTF-8.
        var wide = "<k>" + new string('é', IDataProtectionKeyStore.MaxXmlBytes / 2) + "</k>";
        await Assert.ThrowsAsync<ArgumentException>(() => Store.StoreDataProtectionKeyAsync("wide", wide));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.StoreDataProtectionKeyAsync("empty", ""));
        Assert.Empty(await Store.ListDataProtectionKeysAsync());

        await Store.StoreDataProtectionKeyAsync(name, atBound);

        var kept = Assert.Single(await Store.ListDataProtectionKeysAsync());
        Assert.Equal((name, atBound), (kept.FriendlyName, kept.Xml));
    }
}
