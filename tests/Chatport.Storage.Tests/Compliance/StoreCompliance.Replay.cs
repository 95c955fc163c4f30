using Chatport.Storage.Deliveries;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task A_delivery_is_replayed_under_its_own_id_due_now()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await Store.RecordAttemptsAsync([Attempt("del-1", 1, Start, DeliveryStatus.Succeeded)]);
        var now = Start.AddHours(1);

        Assert.True(await Store.ReplayDeliveryAsync("del-1", now));
        Assert.False(await Store.ReplayDeliveryAsync("del-404", now));

        var replayed = await Store.GetDeliveryAsync("del-1");
        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)now, 1), (replayed!.Status, replayed.NextAttemptAt, replayed.Attempts));
        var work = Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", now, now.AddMinutes(1), 10));
        Assert.Equal(("del-1", 1, "v1"), (work.Id, work.Attempts, Text(work.Body)));
    }

    [Fact]
    public async Task Replaying_a_leased_delivery_releases_its_lease()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, leaseUntil: Start.AddHours(1));

        Assert.True(await Store.ReplayDeliveryAsync("del-1", Start.AddMinutes(1)));

        Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddMinutes(1), Start.AddMinutes(2), 10));
    }

    [Fact]
    public async Task A_destinations_deliveries_are_replayed_by_time_and_status()
    {
        await OutboxAsync();
        await AccountAsync(2);
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        await EnqueueAsync("del-0", "dst-1", 1, 100, createdAt: Start);
        await EnqueueAsync("del-1", "dst-1", 1, 100, createdAt: Start.AddMinutes(1));
        await EnqueueAsync("del-2", "dst-1", 1, 100, createdAt: Start.AddMinutes(2));
        await EnqueueAsync("del-3", "dst-1", 1, 100, createdAt: Start.AddMinutes(3));
        await EnqueueAsync("del-x", "dst-2", 1, 100, createdAt: Start.AddMinutes(1));
        var at = Start.AddMinutes(5);
        await Store.RecordAttemptsAsync(
        [
            Attempt("del-0", 1, at, DeliveryStatus.Succeeded),
            Attempt("del-1", 1, at, DeliveryStatus.Failed, 400),
            Attempt("del-2", 1, at, DeliveryStatus.Succeeded),
            Attempt("del-x", 1, at, DeliveryStatus.Succeeded, destinationId: "dst-2"),
        ]);
        var now = Start.AddHours(1);

        Assert.Equal(1, await Store.ReplayDestinationAsync(1, "dst-1", new ReplayFilter(Start.AddMinutes(1), Start.AddMinutes(3), DeliveryStatus.Succeeded), now));
        Assert.Equal(DeliveryStatus.Pending, (await Store.GetDeliveryAsync("del-2"))!.Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-0"))!.Status);
        Assert.Equal(1, await Store.ReplayDestinationAsync(1, "dst-1", new ReplayFilter(null, null, DeliveryStatus.Failed), now));
        Assert.Equal(DeliveryStatus.Pending, (await Store.GetDeliveryAsync("del-1"))!.Status);
        Assert.Equal(0, await Store.ReplayDestinationAsync(2, "dst-1", new ReplayFilter(null, null, null), now));
        Assert.Equal(4, await Store.ReplayDestinationAsync(1, "dst-1", new ReplayFilter(null, null, null), now));
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-x"))!.Status);

        Assert.Equal(["del-0", "del-1", "del-2", "del-3"],
            (await Store.ClaimDueDeliveriesAsync("dst-1", now, now.AddMinutes(1), 10)).Select(w => w.Id).Order(StringComparer.Ordinal));
    }
}
