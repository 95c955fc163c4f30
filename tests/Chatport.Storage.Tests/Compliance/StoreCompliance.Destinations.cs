using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task Destinations_are_created_read_listed_updated_and_deleted()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        var one = NewDestination("dst-1", 1, "completed", "missed") with
        {
            Name = null, TimeoutSeconds = 7, RetrySchedule = ["0", "5s", "2h"], Secrets = """{"secret":"whsec_one","previousSecret":"whsec_old"}""",
            Redact = ["email", "card"], RedactVisitor = ["ipAddress"],
        };
        await Store.CreateDestinationAsync(one);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1) with { Secrets = null });
        await Store.CreateDestinationAsync(NewDestination("dst-3", 2));

        AssertSame(one, await Store.GetDestinationAsync(1, "dst-1"));
        AssertSame(one, await Store.FindDestinationAsync("dst-1"));
        Assert.Null(await Store.GetDestinationAsync(2, "dst-1"));
        Assert.Null(await Store.FindDestinationAsync("dst-404"));
        Assert.Equal(["dst-1", "dst-2"], (await Store.ListDestinationsAsync(1)).Select(d => d.Id));
        Assert.Empty((await Store.ListDestinationsAsync(1)).Single(d => d.Id == "dst-2").Kinds);

        Time.Advance(TimeSpan.FromMinutes(1));
        var changed = one with
        {
            Name = "Renamed", Enabled = false, DisabledReason = "by hand", Kinds = ["dropped"], Config = """{"url":"https://example.org"}""",
            TimeoutSeconds = 60, RetrySchedule = [], Secrets = """{"secret":"whsec_two"}""", Redact = [], RedactVisitor = ["name", "email"], UpdatedAt = Now, LastSuccessAt = Start.AddSeconds(5), FailingSince = Start.AddSeconds(6),
        };
        Assert.True(await Store.UpdateDestinationAsync(changed));
        AssertSame(changed, await Store.GetDestinationAsync(1, "dst-1"));
        Assert.False(await Store.UpdateDestinationAsync(changed with { AccountId = 2 }));
        Assert.False(await Store.UpdateDestinationAsync(changed with { Id = "dst-404" }));

        Assert.False(await Store.DeleteDestinationAsync(2, "dst-1"));
        Assert.True(await Store.DeleteDestinationAsync(1, "dst-1"));
        Assert.False(await Store.DeleteDestinationAsync(1, "dst-1"));
        Assert.Null(await Store.FindDestinationAsync("dst-1"));
        Assert.Equal(["dst-2"], (await Store.ListDestinationsAsync(1)).Select(d => d.Id));
    }

    [Fact]
    public async Task Deleting_a_destination_drops_its_pending_deliveries_and_keeps_its_history()
    {
        await OutboxAsync();
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        await EnqueueAsync("del-pending", "dst-1", 1, 100);
        await EnqueueAsync("del-done", "dst-1", 1, 100);
        await EnqueueAsync("del-other", "dst-2", 1, 100);
        await Store.RecordAttemptsAsync([Attempt("del-done", 1, Now, DeliveryStatus.Succeeded)]);

        Assert.True(await Store.DeleteDestinationAsync(1, "dst-1"));

        Assert.Null(await Store.GetDeliveryAsync("del-pending"));
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-done"))?.Status);
        Assert.Equal(DeliveryStatus.Pending, (await Store.GetDeliveryAsync("del-other"))?.Status);
    }

    [Fact]
    public async Task A_stored_destination_accepts_its_kinds_or_every_kind_when_it_has_none()
    {
        await AccountAsync(1);
        await Store.CreateDestinationAsync(NewDestination("dst-some", 1, "completed", "missed"));
        await Store.CreateDestinationAsync(NewDestination("dst-all", 1));

        var some = (await Store.FindDestinationAsync("dst-some"))!;
        var all = (await Store.FindDestinationAsync("dst-all"))!;

        Assert.True(some.Accepts(["offline", "missed"]));
        Assert.False(some.Accepts(["offline", "dropped"]));
        Assert.False(some.Accepts([]));
        Assert.True(all.Accepts(["chat"]));
    }

    [Fact]
    public async Task A_session_routes_to_the_accounts_enabled_destinations_only()
    {
        await AccountAsync(1);
        await AccountAsync(2);
        await Store.CreateDestinationAsync(NewDestination("dst-a", 1));
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.CreateDestinationAsync(NewDestination("dst-b", 1) with { Enabled = false, DisabledReason = "410 Gone" });
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.CreateDestinationAsync(NewDestination("dst-c", 1, "missed"));
        await Store.CreateDestinationAsync(NewDestination("dst-d", 2));

        await using var session = await Store.BeginAsync();
        var enabled = await session.GetEnabledRoutesAsync(1);

        Assert.Equal(["dst-a", "dst-c"], enabled.Select(d => d.Id));
        Assert.Equal(["missed"], enabled[1].Kinds);
    }

    private static void AssertSame(Destination expected, Destination? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Kinds, actual.Kinds);
        Assert.Equal(expected.RetrySchedule, actual.RetrySchedule);
        Assert.Equal(expected.Redact, actual.Redact);
        Assert.Equal(expected.RedactVisitor, actual.RedactVisitor);
        Assert.Equal(expected with { Kinds = [], RetrySchedule = [], Redact = [], RedactVisitor = [] },
            actual with { Kinds = [], RetrySchedule = [], Redact = [], RedactVisitor = [] });
    }
}
