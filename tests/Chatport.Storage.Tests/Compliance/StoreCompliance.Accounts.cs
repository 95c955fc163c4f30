using Chatport.Storage.Accounts;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task An_account_is_created_then_updated_and_keeps_its_creation_time()
    {
        var (created, wasCreated) = await Store.UpsertAccountAsync(new AccountChange(208, "Acme", AccountPlan.Free, 1800));
        Time.Advance(TimeSpan.FromMinutes(5));
        var (updated, wasCreatedAgain) = await Store.UpsertAccountAsync(new AccountChange(208, "Acme s.r.o.", AccountPlan.Pro, 600) { TimeZone = "Europe/Prague" });

        Assert.True(wasCreated);
        Assert.False(wasCreatedAgain);
        Assert.Equal(new Account(208, "Acme", AccountPlan.Free, 1800, Start, Start), created);
        Assert.Equal(new Account(208, "Acme s.r.o.", AccountPlan.Pro, 600, Start, Start.AddMinutes(5)) { TimeZone = "Europe/Prague" }, updated);
        Assert.Equal("Europe/Prague", (await Store.GetAccountAsync(208))?.TimeZone);
        Assert.Equal(updated, await Store.GetAccountAsync(208));
    }

    [Fact]
    public async Task A_missing_account_is_null()
    {
        await AccountAsync(1);

        Assert.Null(await Store.GetAccountAsync(2));
    }

    [Fact]
    public async Task Concurrent_upserts_of_one_account_create_it_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.UpsertAccountAsync(new AccountChange(5, $"Five {i}", AccountPlan.Free, 60)))));

        Assert.Single(results, r => r.Created);
        Assert.StartsWith("Five ", (await Store.GetAccountAsync(5))?.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_reads_accounts()
    {
        var account = await AccountAsync(3, 120);

        await using var session = await Store.BeginAsync();

        Assert.Equal(account, await session.GetAccountAsync(3));
        Assert.Null(await session.GetAccountAsync(4));
    }

    [Fact]
    public async Task Accounts_are_listed_by_id_in_pages()
    {
        foreach (var id in new long[] { 30, 4, 1_000_000_000_000, 7, 12 })
        {
            await AccountAsync(id);
        }

        var all = await Store.ListAccountsAsync(null, 500);
        var first = await Store.ListAccountsAsync(null, 2);
        var second = await Store.ListAccountsAsync(first.Next, 2);
        var last = await Store.ListAccountsAsync(second.Next, 2);
        var exact = await Store.ListAccountsAsync(7, 3);

        Assert.Equal([4L, 7, 12, 30, 1_000_000_000_000], all.Items.Select(a => a.Id));
        Assert.Null(all.Next);
        Assert.Equal(await Store.GetAccountAsync(12), all.Items[2]);
        Assert.Equal(new long[] { 4L, 7 }, first.Items.Select(a => a.Id));
        Assert.Equal(7L, first.Next);
        Assert.Equal(new long[] { 12L, 30 }, second.Items.Select(a => a.Id));
        Assert.Equal(30L, second.Next);
        Assert.Equal(new long[] { 1_000_000_000_000L }, last.Items.Select(a => a.Id));
        Assert.Null(last.Next);
        Assert.Equal(new long[] { 12L, 30, 1_000_000_000_000 }, exact.Items.Select(a => a.Id));
        Assert.Null(exact.Next);
        Assert.Empty((await Store.ListAccountsAsync(1_000_000_000_000, 10)).Items);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAccountsAsync(null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAccountsAsync(null, 501));
    }

    [Fact]
    public async Task A_session_reads_every_field_of_an_account()
    {
        await Store.UpsertAccountAsync(new AccountChange(41, "Forty-one", AccountPlan.Pro, 1800));
        Time.Advance(TimeSpan.FromMinutes(7));
        await Store.UpsertAccountAsync(new AccountChange(41, "Forty-one Ltd", AccountPlan.Free, 45) { TimeZone = "Asia/Tokyo" });
        await AccountAsync(42, 90);
        var expected = new Account(41, "Forty-one Ltd", AccountPlan.Free, 45, Start, Start.AddMinutes(7)) { TimeZone = "Asia/Tokyo" };

        await using var session = await Store.BeginAsync();

        var read = await session.GetAccountAsync(41);
        Assert.Equal(expected, read);
        Assert.Equal("Asia/Tokyo", read?.TimeZone);
        Assert.Equal(await Store.GetAccountAsync(41), read);
        Assert.Equal(new Account(42, "Account 42", AccountPlan.Pro, 90, Start.AddMinutes(7), Start.AddMinutes(7)), await session.GetAccountAsync(42));
        Assert.Null(await session.GetAccountAsync(43));
        Assert.Null(await session.GetAccountAsync(0));
        Assert.Equal(expected, await session.GetAccountAsync(41)); // the same statement again, after a miss
    }
}
