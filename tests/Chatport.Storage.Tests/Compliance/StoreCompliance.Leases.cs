using Chatport.Storage.Deliveries;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    /// <summary>True for a store only one node uses (SQLite): every lease found at start is the previous process's.</summary>
    protected abstract bool OneNodeOnly { get; }

    [Fact]
    public async Task A_renewed_lease_keeps_a_delivery_from_other_claimers_and_a_lapsed_one_is_not_renewed()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(30));
        await EnqueueAsync("del-2", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(30));
        await EnqueueAsync("del-3", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(10));

        // del-3's lease ran out at +10 s: by +20 s it may be another node's, so the heartbeat leaves it alone.
        Assert.Equal(1, await Store.RenewLeasesAsync(["del-1", "del-3", "del-unknown"], Start.AddSeconds(20), Start.AddSeconds(50)));

        var claimed = await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(40), Start.AddSeconds(70), 10);
        Assert.Equal(["del-2", "del-3"], claimed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(49), Start.AddSeconds(79), 10));
        Assert.Equal(["del-1"], (await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(50), Start.AddSeconds(80), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task A_delivery_whose_result_is_written_is_not_renewed()
    {
        await OutboxAsync();
        await EnqueueAsync("del-retry", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(30));
        await EnqueueAsync("del-done", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(30));
        await Store.RecordAttemptsAsync([
            Attempt("del-retry", 1, Start.AddSeconds(1), DeliveryStatus.Pending, 500, next: Start.AddSeconds(5)),
            Attempt("del-done", 1, Start.AddSeconds(1), DeliveryStatus.Succeeded)]);

        Assert.Equal(0, await Store.RenewLeasesAsync(["del-retry", "del-done"], Start.AddSeconds(2), Start.AddSeconds(32)));

        // The retry is due at +5 s, not held until +32 s by a renewal that raced with its result.
        Assert.Equal(["del-retry"], (await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(5), Start.AddSeconds(35), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task Released_leases_are_claimable_at_once_and_nothing_else_changes()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await EnqueueAsync("del-2", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await EnqueueAsync("del-done", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await Store.RecordAttemptsAsync([Attempt("del-done", 1, Start, DeliveryStatus.Succeeded)]);

        Assert.Equal(1, await Store.ReleaseLeasesAsync(["del-1", "del-done", "del-unknown"]));

        Assert.Equal(["del-1"], (await Store.ClaimDueDeliveriesAsync("dst-1", Start, Start.AddSeconds(30), 10)).Select(d => d.Id));
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-done"))!.Status);
        Assert.Equal(0, (await Store.GetDeliveryAsync("del-1"))!.Attempts);
    }

    [Fact]
    public async Task Leases_found_at_start_are_taken_back_only_where_one_node_uses_the_store()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await EnqueueAsync("del-2", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await EnqueueAsync("del-later", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));
        await Store.RecordAttemptsAsync([Attempt("del-later", 1, Start, DeliveryStatus.Pending, 500, next: Start.AddMinutes(5))]);

        var recovered = await Store.RecoverLeasesAsync();

        // del-later has no lease (its result was written): it stays due at +5 min either way.
        var claimable = (await Store.ClaimDueDeliveriesAsync("dst-1", Start, Start.AddSeconds(30), 10)).Select(d => d.Id).ToList();
        if (OneNodeOnly)
        {
            Assert.Equal(2, recovered);
            Assert.Equal(["del-1", "del-2"], claimable.Order(StringComparer.Ordinal));
        }
        else
        {
            // Another node may be sending them right now; they are claimable once their leases run out.
            Assert.Equal(0, recovered);
            Assert.Empty(claimable);
        }
    }
}
