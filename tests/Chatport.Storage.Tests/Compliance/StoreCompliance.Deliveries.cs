using Chatport.Storage.Deliveries;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task An_enqueued_delivery_is_leased_to_its_writer_until_the_lease_ends()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, leaseUntil: Start.AddSeconds(30), kinds: ["missed", "offline"]);

        var record = await Store.GetDeliveryAsync("del-1");
        Assert.NotNull(record);
        Assert.Equal(
            ("del-1", 1L, "dst-1", 100L, 1, DeliveryStatus.Pending, 0, Start, (DateTimeOffset?)Start, (DateTimeOffset?)null, (int?)null, (string?)null),
            (record.Id, record.AccountId, record.DestinationId, record.ChatId, record.Version, record.Status, record.Attempts, record.CreatedAt,
             record.NextAttemptAt, record.LastAttemptAt, record.LastStatusCode, record.LastError));
        Assert.Equal(["missed", "offline"], record.Kinds);

        Assert.Empty(await Store.DestinationsWithDueDeliveriesAsync(Start.AddSeconds(29)));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(29), Start.AddSeconds(60), 10));

        Assert.Equal(["dst-1"], await Store.DestinationsWithDueDeliveriesAsync(Start.AddSeconds(30)));
        var claimed = Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(30), Start.AddSeconds(60), 10));
        Assert.Equal(("del-1", 1L, "dst-1", 100L, 1, 0, Start, "v1"),
            (claimed.Id, claimed.AccountId, claimed.DestinationId, claimed.ChatId, claimed.Version, claimed.Attempts, claimed.CreatedAt, Text(claimed.Body)));
        Assert.Equal(["missed", "offline"], claimed.Kinds);

        Assert.Empty(await Store.DestinationsWithDueDeliveriesAsync(Start.AddSeconds(59)));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(59), Start.AddSeconds(90), 10));
        Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddSeconds(60), Start.AddSeconds(90), 10)); // the claimer died: its lease ran out
    }

    [Fact]
    public async Task Claims_take_due_deliveries_oldest_first_up_to_the_limit()
    {
        await OutboxAsync();
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        for (var i = 4; i >= 0; i--)
        {
            await EnqueueAsync($"del-{i}", "dst-1", 1, 100, createdAt: Start.AddSeconds(i));
        }
        await EnqueueAsync("del-elsewhere", "dst-2", 1, 100, createdAt: Start);
        await EnqueueAsync("del-later", "dst-1", 1, 100, createdAt: Start.AddMinutes(10));

        var now = Start.AddMinutes(1);
        var lease = Start.AddHours(1);
        Assert.Equal(["del-0", "del-1"], (await Store.ClaimDueDeliveriesAsync("dst-1", now, lease, 2)).Select(w => w.Id));
        Assert.Equal(["del-2", "del-3"], (await Store.ClaimDueDeliveriesAsync("dst-1", now, lease, 2)).Select(w => w.Id));
        Assert.Equal(["del-4"], (await Store.ClaimDueDeliveriesAsync("dst-1", now, lease, 2)).Select(w => w.Id));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", now, lease, 2));
        Assert.Equal(["del-elsewhere"], (await Store.ClaimDueDeliveriesAsync("dst-2", now, lease, 2)).Select(w => w.Id));
        Assert.Equal(["del-later"], (await Store.ClaimDueDeliveriesAsync("dst-1", Start.AddMinutes(10), lease, 2)).Select(w => w.Id));
        Assert.Equal(["del-0", "del-1", "del-2"], (await Store.ClaimDueDeliveriesAsync("dst-1", lease, lease.AddHours(1), 3)).Select(w => w.Id));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-404", now, lease, 2));
    }

    [Fact]
    public async Task Only_enabled_destinations_with_due_unleased_deliveries_are_due()
    {
        await OutboxAsync();
        await Store.CreateDestinationAsync(NewDestination("dst-off", 1) with { Enabled = false });
        await Store.CreateDestinationAsync(NewDestination("dst-idle", 1));
        await Store.CreateDestinationAsync(NewDestination("dst-later", 1));
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await EnqueueAsync("del-off", "dst-off", 1, 100);
        await EnqueueAsync("del-later", "dst-later", 1, 100, createdAt: Start.AddMinutes(5));

        Assert.Equal(["dst-1"], await Store.DestinationsWithDueDeliveriesAsync(Now));
        Assert.Equal(["dst-1", "dst-later"], (await Store.DestinationsWithDueDeliveriesAsync(Now.AddMinutes(5))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_with_several_results_for_one_delivery_keeps_each_attempt_and_the_last_result()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await EnqueueAsync("del-2", "dst-1", 1, 100);
        var at = Start.AddSeconds(1);

        await Store.RecordAttemptsAsync(
        [
            Attempt("del-1", 1, at, DeliveryStatus.Pending, 500, next: at, error: "HTTP 500"),
            Attempt("del-2", 1, at, DeliveryStatus.Pending, 503, next: at.AddMinutes(1), error: "HTTP 503"),
            Attempt("del-1", 2, at.AddSeconds(1), DeliveryStatus.Pending, 502, next: at.AddMinutes(5), error: "HTTP 502"),
            Attempt("del-1", 2, at.AddSeconds(2), DeliveryStatus.Succeeded, 204), // the same attempt given again: the last counts
        ]);

        var one = await Store.GetDeliveryAsync("del-1");
        Assert.Equal((DeliveryStatus.Succeeded, 2, (DateTimeOffset?)at.AddSeconds(2), (int?)204, (string?)null),
            (one!.Status, one.Attempts, one.LastAttemptAt, one.LastStatusCode, one.LastError));
        Assert.Equal([(1, (int?)500), (2, (int?)204)], (await Store.GetAttemptsAsync("del-1")).Select(a => (a.Number, a.StatusCode)));
        var two = await Store.GetDeliveryAsync("del-2");
        Assert.Equal((DeliveryStatus.Pending, 1, (int?)503), (two!.Status, two.Attempts, two.LastStatusCode));
    }

    [Fact]
    public async Task Failed_attempts_retry_later_and_mark_the_destination_failing_once_and_a_success_heals_it()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", Start, Start.AddHours(1), 10));

        var first = Start.AddSeconds(1);
        await Store.RecordAttemptsAsync([Attempt("del-1", 1, first, DeliveryStatus.Pending, 500, next: first.AddMinutes(1), error: "HTTP 500")]);

        var pending = await Store.GetDeliveryAsync("del-1");
        Assert.Equal((DeliveryStatus.Pending, 1, (DateTimeOffset?)first, (int?)500, "HTTP 500", (DateTimeOffset?)first.AddMinutes(1)),
            (pending!.Status, pending.Attempts, pending.LastAttemptAt, pending.LastStatusCode, pending.LastError, pending.NextAttemptAt));
        var failing = await Store.FindDestinationAsync("dst-1");
        Assert.Equal(((DateTimeOffset?)first, (DateTimeOffset?)null, true, "HTTP 500"), (failing!.FailingSince, failing.LastSuccessAt, failing.Enabled, failing.LastError));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", first.AddSeconds(59), Start.AddHours(1), 10)); // not due yet
        var retry = Assert.Single(await Store.ClaimDueDeliveriesAsync("dst-1", first.AddMinutes(1), Start.AddHours(1), 10)); // the lease was released
        Assert.Equal(1, retry.Attempts);

        var second = first.AddMinutes(1);
        await Store.RecordAttemptsAsync([Attempt("del-1", 2, second, DeliveryStatus.Pending, null, next: second.AddMinutes(5), error: "timeout")]);
        Assert.Equal((first, "timeout"), ((await Store.FindDestinationAsync("dst-1"))!.FailingSince, (await Store.FindDestinationAsync("dst-1"))!.LastError));
        Assert.Null((await Store.GetDeliveryAsync("del-1"))!.LastStatusCode);

        var third = second.AddMinutes(5);
        await Store.RecordAttemptsAsync([Attempt("del-1", 3, third, DeliveryStatus.Succeeded, 204)]);

        var done = await Store.GetDeliveryAsync("del-1");
        Assert.Equal((DeliveryStatus.Succeeded, 3, (int?)204, (string?)null, (DateTimeOffset?)null),
            (done!.Status, done.Attempts, done.LastStatusCode, done.LastError, done.NextAttemptAt));
        var healed = await Store.FindDestinationAsync("dst-1");
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)third, (string?)null), (healed!.FailingSince, healed.LastSuccessAt, healed.LastError));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("dst-1", third.AddDays(1), third.AddDays(2), 10));

        var attempts = await Store.GetAttemptsAsync("del-1");
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.Equal([first, second, third], attempts.Select(a => a.At));
        Assert.Equal([500, null, 204], attempts.Select(a => a.StatusCode));
        Assert.Equal(["HTTP 500", "timeout", null], attempts.Select(a => a.Error));
        Assert.Equal([12.5, 12.5, 12.5], attempts.Select(a => a.LatencyMs));
        Assert.Equal("answer 1", Text(attempts[0].Response!));
        Assert.Null(attempts[1].Response);
        Assert.Empty(await Store.GetAttemptsAsync("del-404"));
    }

    [Fact]
    public async Task An_attempt_can_disable_its_destination_with_a_reason()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        var at = Start.AddMinutes(3);

        await Store.RecordAttemptsAsync([Attempt("del-1", 1, at, DeliveryStatus.Failed, 410, disable: "410 Gone")]);

        var destination = await Store.FindDestinationAsync("dst-1");
        Assert.Equal((false, "410 Gone", at, (DateTimeOffset?)at), (destination!.Enabled, destination.DisabledReason, destination.UpdatedAt, destination.FailingSince));
        Assert.Equal(DeliveryStatus.Failed, (await Store.GetDeliveryAsync("del-1"))!.Status);
        Assert.Empty(await Store.DestinationsWithDueDeliveriesAsync(at.AddDays(1)));

        await Store.RecordAttemptsAsync([Attempt("del-1", 2, at.AddMinutes(1), DeliveryStatus.Failed, 410, disable: "again")]);
        Assert.Equal(("410 Gone", at), ((await Store.FindDestinationAsync("dst-1"))!.DisabledReason, (await Store.FindDestinationAsync("dst-1"))!.UpdatedAt));
    }

    [Fact]
    public async Task A_batch_of_attempts_lands_together_across_deliveries_and_destinations()
    {
        await OutboxAsync();
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        await EnqueueAsync("del-a", "dst-1", 1, 100);
        await EnqueueAsync("del-b", "dst-2", 1, 100);
        await EnqueueAsync("del-c", "dst-1", 1, 100);
        var at = Start.AddSeconds(10);

        await Store.RecordAttemptsAsync(
        [
            Attempt("del-c", 1, at, DeliveryStatus.Pending, 503, next: at.AddMinutes(1), error: "HTTP 503"),
            Attempt("del-b", 1, at, DeliveryStatus.Succeeded, 200, destinationId: "dst-2"),
            Attempt("del-a", 1, at.AddSeconds(1), DeliveryStatus.Succeeded, 200),
        ]);
        await Store.RecordAttemptsAsync([]);

        Assert.Equal(DeliveryStatus.Pending, (await Store.GetDeliveryAsync("del-c"))!.Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-b"))!.Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await Store.GetDeliveryAsync("del-a"))!.Status);
        var one = await Store.FindDestinationAsync("dst-1"); // failure then success, in the order given: healed
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)at.AddSeconds(1)), (one!.FailingSince, one.LastSuccessAt));
        Assert.Equal(at, (await Store.FindDestinationAsync("dst-2"))!.LastSuccessAt);
    }

    [Fact]
    public async Task A_batch_leaves_each_destinations_health_as_its_results_one_by_one_would()
    {
        // One health change per destination and batch: the last success, then the first failure after it.
        await OutboxAsync();
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        foreach (var id in new[] { "del-a", "del-b", "del-c", "del-d", "del-e", "del-f", "del-g" })
        {
            await EnqueueAsync(id, id is "del-f" or "del-g" ? "dst-2" : "dst-1", 1, 100);
        }
        var at = Start.AddSeconds(10);
        await Store.RecordAttemptsAsync([Attempt("del-f", 1, at, DeliveryStatus.Pending, 500, next: at.AddMinutes(1), destinationId: "dst-2")]);

        await Store.RecordAttemptsAsync(
        [
            Attempt("del-a", 1, at.AddSeconds(1), DeliveryStatus.Succeeded, 200),
            Attempt("del-b", 1, at.AddSeconds(2), DeliveryStatus.Pending, 500, next: at.AddMinutes(1)),
            Attempt("del-g", 1, at.AddSeconds(2), DeliveryStatus.Pending, 502, next: at.AddMinutes(1), destinationId: "dst-2"),
            Attempt("del-c", 1, at.AddSeconds(3), DeliveryStatus.Succeeded, 200),
            Attempt("del-d", 1, at.AddSeconds(4), DeliveryStatus.Pending, 503, next: at.AddMinutes(1)),
            Attempt("del-e", 1, at.AddSeconds(5), DeliveryStatus.Pending, 504, next: at.AddMinutes(1)),
        ]);

        var one = await Store.FindDestinationAsync("dst-1");
        Assert.Equal(((DateTimeOffset?)at.AddSeconds(4), (DateTimeOffset?)at.AddSeconds(3)), (one!.FailingSince, one.LastSuccessAt));
        Assert.Equal("The far side answered 504.", one.LastError); // the last failure's (these have no error text)
        var two = await Store.FindDestinationAsync("dst-2"); // failing since the earlier batch: kept
        Assert.Equal(((DateTimeOffset?)at, (DateTimeOffset?)null), (two!.FailingSince, two.LastSuccessAt));
    }

    [Fact]
    public async Task An_empty_answer_is_kept_as_empty_not_as_no_answer()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await EnqueueAsync("del-2", "dst-1", 1, 100);

        await Store.RecordAttemptsAsync(
        [
            Attempt("del-1", 1, Start, DeliveryStatus.Succeeded, 204) with { Response = [] },
            Attempt("del-2", 1, Start, DeliveryStatus.Pending, null, next: Start.AddMinutes(1), error: "timeout"),
        ]);

        var empty = (await Store.GetAttemptsAsync("del-1"))[0].Response;
        Assert.NotNull(empty);
        Assert.Empty(empty);
        Assert.Null((await Store.GetAttemptsAsync("del-2"))[0].Response);
    }

    [Fact]
    public async Task Recording_an_attempt_again_replaces_it()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await Store.RecordAttemptsAsync([Attempt("del-1", 2, Start, DeliveryStatus.Pending, 500, next: Start.AddMinutes(1))]);

        await Store.RecordAttemptsAsync([Attempt("del-1", 1, Start.AddSeconds(1), DeliveryStatus.Pending, 502, next: Start.AddMinutes(2))]);
        await Store.RecordAttemptsAsync([Attempt("del-1", 1, Start.AddSeconds(2), DeliveryStatus.Pending, 504, next: Start.AddMinutes(3))]);

        var attempts = await Store.GetAttemptsAsync("del-1");
        Assert.Equal([(1, 504), (2, 500)], attempts.Select(a => (a.Number, a.StatusCode ?? 0)));
        Assert.Equal(2, (await Store.GetDeliveryAsync("del-1"))!.Attempts);
    }

    [Fact]
    public async Task The_delivery_log_lists_newest_first_with_filters_and_paging()
    {
        await OutboxAsync();
        await AccountAsync(2);
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        await EnqueueAsync("del-1", "dst-1", 1, 100);
        await EnqueueAsync("del-2", "dst-2", 1, 100);
        await EnqueueAsync("del-3", "dst-1", 1, 100);
        await EnqueueAsync("del-4", "dst-1", 1, 100);
        await Store.RecordAttemptsAsync([Attempt("del-3", 1, Now, DeliveryStatus.Succeeded)]);

        async Task<string[]> IdsAsync(DeliveryQuery query) => [.. (await Store.ListDeliveriesAsync(query)).Select(d => d.Id)];

        Assert.Equal(["del-4", "del-3", "del-2", "del-1"], await IdsAsync(new DeliveryQuery(1)));
        Assert.Equal(["del-4", "del-3"], await IdsAsync(new DeliveryQuery(1, Limit: 2)));
        Assert.Equal(["del-2", "del-1"], await IdsAsync(new DeliveryQuery(1, Before: "del-3", Limit: 2)));
        Assert.Equal(["del-4", "del-2", "del-1"], await IdsAsync(new DeliveryQuery(1, Status: DeliveryStatus.Pending)));
        Assert.Equal(["del-4", "del-3", "del-1"], await IdsAsync(new DeliveryQuery(1, DestinationId: "dst-1")));
        Assert.Equal(["del-1"], await IdsAsync(new DeliveryQuery(1, Status: DeliveryStatus.Pending, DestinationId: "dst-1", Before: "del-3", Limit: 1)));
        Assert.Empty(await IdsAsync(new DeliveryQuery(2)));
        var settled = (await Store.ListDeliveriesAsync(new DeliveryQuery(1)))[1];
        Assert.Equal((DeliveryStatus.Succeeded, (int?)200, 1), (settled.Status, settled.LastStatusCode, settled.Attempts));
    }

    [Fact]
    public async Task The_delivery_log_filters_by_when_deliveries_were_created()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, createdAt: Start.AddMinutes(1));
        await EnqueueAsync("del-2", "dst-1", 1, 100, createdAt: Start.AddMinutes(2));
        await EnqueueAsync("del-3", "dst-1", 1, 100, createdAt: Start.AddMinutes(3));
        await EnqueueAsync("del-4", "dst-1", 1, 100, createdAt: Start.AddMinutes(4));

        async Task<string[]> IdsAsync(DeliveryQuery query) => [.. (await Store.ListDeliveriesAsync(query)).Select(d => d.Id)];

        Assert.Equal(["del-4", "del-3", "del-2"], await IdsAsync(new DeliveryQuery(1, From: Start.AddMinutes(2))));
        Assert.Equal(["del-2", "del-1"], await IdsAsync(new DeliveryQuery(1, To: Start.AddMinutes(3)))); // to is exclusive
        Assert.Equal(["del-3", "del-2"], await IdsAsync(new DeliveryQuery(1, From: Start.AddMinutes(2), To: Start.AddMinutes(4))));
        Assert.Equal(["del-2"], await IdsAsync(new DeliveryQuery(1, From: Start.AddMinutes(2), To: Start.AddMinutes(4), Before: "del-3")));
        Assert.Empty(await IdsAsync(new DeliveryQuery(1, From: Start.AddMinutes(5))));
    }

    [Fact]
    public async Task Live_stats_count_each_destinations_queue_and_what_settled_in_the_window()
    {
        await OutboxAsync();
        await AccountAsync(2);
        await Store.CreateDestinationAsync(NewDestination("dst-2", 1));
        await Store.CreateDestinationAsync(NewDestination("dst-idle", 1));
        await Store.CreateDestinationAsync(NewDestination("dst-other", 2));
        await EnqueueAsync("del-old-ok", "dst-1", 1, 100, createdAt: Start.AddMinutes(-30));
        await EnqueueAsync("del-ok", "dst-1", 1, 100, createdAt: Start.AddMinutes(-20));
        await EnqueueAsync("del-ok-2", "dst-1", 1, 100, createdAt: Start.AddMinutes(-1));
        await EnqueueAsync("del-dead", "dst-1", 1, 100, createdAt: Start.AddMinutes(-2));
        await EnqueueAsync("del-wait-1", "dst-1", 1, 100, createdAt: Start.AddMinutes(-3));
        await EnqueueAsync("del-wait-2", "dst-1", 1, 100, createdAt: Start.AddMinutes(-4));
        await EnqueueAsync("del-retry", "dst-2", 1, 100, createdAt: Start.AddMinutes(-7));
        await EnqueueAsync("del-other", "dst-other", 2, 100, createdAt: Start.AddMinutes(-1));
        await Store.RecordAttemptsAsync([
            Attempt("del-old-ok", 1, Start.AddMinutes(-10), DeliveryStatus.Succeeded), // settled before the window
            Attempt("del-ok", 1, Start.AddMinutes(-4), DeliveryStatus.Succeeded), // created before the window, settled in it
            Attempt("del-ok-2", 1, Start.AddMinutes(-1), DeliveryStatus.Succeeded),
            Attempt("del-dead", 1, Start.AddMinutes(-1), DeliveryStatus.Failed, 400),
            Attempt("del-retry", 1, Start.AddMinutes(-1), DeliveryStatus.Pending, 503, next: Start.AddMinutes(5), destinationId: "dst-2"),
            Attempt("del-other", 1, Start.AddMinutes(-1), DeliveryStatus.Succeeded, destinationId: "dst-other"),
        ]);
        await WriteAsync(Conversation(1, 101, "a", endAt: Start.AddMinutes(-2).ToUnixTimeMilliseconds()));
        await WriteAsync(Conversation(1, 102, "b", endAt: Start.AddMinutes(-30).ToUnixTimeMilliseconds()));
        await WriteAsync(Conversation(1, 103, "c", endAt: Start.AddMinutes(-90).ToUnixTimeMilliseconds()));
        await WriteAsync(Conversation(2, 104, "d", endAt: Start.AddMinutes(-2).ToUnixTimeMilliseconds()));

        var stats = await Store.GetLiveStatsAsync(1, Start.AddMinutes(-5), Start.AddMinutes(-60));

        Assert.Equal((1L, 2L), (stats.ConversationsSince, stats.ConversationsSinceEarlier)); // 100 has no end: not counted
        Assert.Equal(
            [
                new DestinationLiveStats("dst-1", 2, Start.AddMinutes(-4), 2, 1),
                new DestinationLiveStats("dst-2", 1, Start.AddMinutes(-7), 0, 0),
                new DestinationLiveStats("dst-idle", 0, null, 0, 0),
            ],
            stats.Destinations);
        var empty = await Store.GetLiveStatsAsync(3, Start.AddMinutes(-5), Start.AddMinutes(-60));
        Assert.Equal((0L, 0L, 0), (empty.ConversationsSince, empty.ConversationsSinceEarlier, empty.Destinations.Count));
    }

    [Fact]
    public async Task Queue_stats_count_pending_deliveries_and_the_oldest()
    {
        Assert.Equal(new QueueStats(0, null), await Store.GetQueueStatsAsync());
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100, createdAt: Start.AddSeconds(1));
        await EnqueueAsync("del-2", "dst-1", 1, 100, createdAt: Start.AddSeconds(2));
        await EnqueueAsync("del-3", "dst-1", 1, 100, createdAt: Start.AddSeconds(3));
        await Store.RecordAttemptsAsync([Attempt("del-1", 1, Now, DeliveryStatus.Succeeded)]);

        Assert.Equal(new QueueStats(2, Start.AddSeconds(2)), await Store.GetQueueStatsAsync());
    }

    [Fact]
    public async Task An_empty_answer_is_kept_as_empty_not_as_missing()
    {
        await OutboxAsync();
        await EnqueueAsync("del-1", "dst-1", 1, 100);

        await Store.RecordAttemptsAsync([Attempt("del-1", 1, Start, DeliveryStatus.Succeeded, 204) with { Response = [] }]);

        var attempt = Assert.Single(await Store.GetAttemptsAsync("del-1"));
        Assert.NotNull(attempt.Response);
        Assert.Empty(attempt.Response);
    }
}
