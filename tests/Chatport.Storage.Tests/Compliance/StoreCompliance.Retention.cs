using Chatport.Delivery.Outbox;
using Chatport.Storage.Deliveries;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task Pruning_forgets_events_and_attempts_older_than_the_cut_in_bounded_batches_and_keeps_the_rest()
    {
        var cut = Start.AddDays(-30);
        await using (var session = await Store.BeginAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                var then = cut.AddMinutes(-i - 1).ToUnixTimeMilliseconds();
                Assert.True(await session.RecordEventAsync(1, $"old-{i}", 10, then, then, Utf8("{}")));
            }
            Assert.True(await session.RecordEventAsync(1, "new", 10, NowMs, NowMs, Utf8("{}")));
            await session.CommitAsync();
        }
        // Two deliveries: one made before the cut (its attempts are old), one after it.
        await OutboxAsync();
        var oldId = DeliveryIds.New(cut.AddHours(-2));
        var newId = DeliveryIds.New(Start);
        await EnqueueAsync(oldId, "dst-1", 1, 100);
        await EnqueueAsync(newId, "dst-1", 1, 100);
        await Store.RecordAttemptsAsync(
        [
            Attempt(oldId, 1, cut.AddHours(-2), DeliveryStatus.Pending, 500, next: cut.AddHours(-1)),
            Attempt(oldId, 2, cut.AddHours(-1), DeliveryStatus.Succeeded, 200),
            Attempt(newId, 1, Start, DeliveryStatus.Succeeded, 200),
        ]);

        var bound = DeliveryIds.FirstAt(cut);
        Assert.Equal((3, 2), await Store.PruneAsync(cut, bound, 3)); // at most 3 events in one go
        Assert.Equal((2, 0), await Store.PruneAsync(cut, bound, 3));
        Assert.Equal((0, 0), await Store.PruneAsync(cut, bound, 3));

        await using (var session = await Store.BeginAsync())
        {
            Assert.True(await session.RecordEventAsync(1, "old-0", 10, NowMs, NowMs, Utf8("{}"))); // forgotten: new again
            Assert.False(await session.RecordEventAsync(1, "new", 10, NowMs, NowMs, Utf8("{}"))); // kept: a duplicate
        }
        Assert.Empty(await Store.GetAttemptsAsync(oldId));
        Assert.Single(await Store.GetAttemptsAsync(newId));
        var old = await Store.GetDeliveryAsync(oldId); // the delivery itself stays, with its outcome
        Assert.Equal((DeliveryStatus.Succeeded, 2), (old!.Status, old.Attempts));
    }
}
