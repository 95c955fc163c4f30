using Chatport.Delivery;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Dispatching;
using Chatport.Delivery.Outbox;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Telemetry;
using Chatport.Storage.Accounts;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Chatport.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;

namespace Chatport.Tests.Dispatching;

/// <summary>The dispatcher on a real SQLite file, with a sender that counts instead of sending HTTP.</summary>
public sealed partial class DispatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("chatport-dispatcher-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    private sealed class CountingSender : TestKind
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public override Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(new SendOutcome(SendResult.Delivered, 1, 200, null, null));
        }
    }

    /// <summary>A migrated store with account 1 and destination dst_1 (kind "counting"), and a dispatcher sending through <paramref name="sender"/>.</summary>
    private async Task<(SqliteStore Store, AttemptRecorder Recorder, Dispatcher Dispatcher)> DispatcherAsync(IOptions<DeliveryOptions> options, TestKind sender)
    {
        var store = SqliteStore.ForDataDir(_dir, _time);
        await store.MigrateAsync();
        await store.UpsertAccountAsync(new AccountChange(1, "One", AccountPlan.Pro, 1800));
        var now = _time.GetUtcNow();
        await store.CreateDestinationAsync(new Destination("dst_1", 1, "counting", null, true, null, [], 15, [], "{}", null, now, now, null, null));

        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new DeliveryMetrics(meters);
        var cache = new DestinationCache(store, _time, options);
        var recorder = new AttemptRecorder(store, cache, _time, options, NullLogger<AttemptRecorder>.Instance);
        var kinds = new DestinationKinds([sender]);
        var processor = new DeliveryProcessor(cache, kinds, recorder, metrics, FixedJitter.None, _time, options, NullLogger<DeliveryProcessor>.Instance);
        return (store, recorder, new Dispatcher(store, processor, cache, kinds, recorder, metrics, _time, options, NullLogger<Dispatcher>.Instance));
    }

    [Fact]
    public async Task A_delivery_whose_result_is_not_written_yet_is_not_sent_again_when_its_lease_runs_out()
    {
        // Regression: the poller re-claimed deliveries whose final result still waited in the recorder (measured: 3.18
        // attempts per delivery instead of 2 in a long dead-destination run). The recorder is never started here, so
        // the result stays unwritten for the whole test.
        var options = Options.Create(new DeliveryOptions { LeaseDuration = TimeSpan.FromSeconds(10) });
        var sender = new CountingSender();
        var (store, recorder, dispatcher) = await DispatcherAsync(options, sender);

        await using (var session = await store.BeginAsync())
        {
            var outbox = new ConversationOutbox(session, _time, options.Value.LeaseDuration, dispatcher.HasRoom);
            await outbox.WriteAsync(new ConversationWrite(1, 55039, "{}"u8.ToArray(), ["completed"], 1, 2, "import"), CancellationToken.None);
            await session.CommitAsync();
            dispatcher.Enqueue(outbox.Enqueued);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sender.Sent == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the delivery was never sent");
            await Task.Delay(10);
        }

        _time.Advance(TimeSpan.FromSeconds(11)); // past the lease; the store still says "pending"
        await dispatcher.PollAsync(CancellationToken.None);
        await Task.Delay(200);

        Assert.Equal(1, sender.Sent);
        Assert.Equal(1, recorder.Pending);
    }

    private sealed class GatedSender : TestKind
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public void Open() => _open.TrySetResult();

        public override async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _sent);
            return new SendOutcome(SendResult.Delivered, 1, 200, null, null);
        }
    }

    [Fact]
    public async Task Deliveries_admitted_together_are_all_sent_at_once_even_past_the_lanes_capacity()
    {
        // Regression: the outbox checks HasRoom before its commit, but hands the deliveries over after it; when
        // deliveries admitted at the same moment had filled the lane meanwhile, the rest were dropped from memory
        // while leased in the store, and waited for their lease to run out (2 minutes; seen as 349 of 60,000
        // deliveries arriving 107 s late in a burst). The fake clock never moves here, so a lease never runs out.
        var options = Options.Create(new DeliveryOptions { MaxQueuedPerDestination = 2, MaxConcurrencyPerDestination = 1 });
        var sender = new GatedSender();
        var (store, _, dispatcher) = await DispatcherAsync(options, sender);

        await using (var session = await store.BeginAsync())
        {
            var outbox = new ConversationOutbox(session, _time, options.Value.LeaseDuration, dispatcher.HasRoom);
            for (var chat = 1; chat <= 5; chat++)
            {
                await outbox.WriteAsync(new ConversationWrite(1, chat, "{}"u8.ToArray(), ["completed"], 1, 2, "import"), CancellationToken.None);
            }
            await session.CommitAsync();
            Assert.Equal(5, outbox.Enqueued.Count); // all five leased: the lane had room when each was written
            dispatcher.Enqueue(outbox.Enqueued);
        }
        sender.Open();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sender.Sent < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.Equal(5, sender.Sent);
    }

    [Fact]
    public async Task Deliveries_left_in_the_store_by_a_full_lane_are_claimed_as_soon_as_it_drains_not_at_the_next_tick()
    {
        // Regression: a burst filled the lane, the rest went to the store unleased, and the lane then sat idle until
        // the poller's next tick (seconds with 0 deliveries in the burst's timeline). The fake clock never ticks here:
        // only the lane draining to half can wake the poller.
        var options = Options.Create(new DeliveryOptions { MaxQueuedPerDestination = 4, MaxConcurrencyPerDestination = 1 });
        var sender = new GatedSender();
        var (store, _, dispatcher) = await DispatcherAsync(options, sender);
        await dispatcher.StartAsync(CancellationToken.None);
        await Task.Delay(300); // its first poll (an empty store) is done; the next waits for a tick that never comes

        var leased = 0;
        for (var batch = 0; batch < 2; batch++)
        {
            await using var session = await store.BeginAsync();
            var outbox = new ConversationOutbox(session, _time, options.Value.LeaseDuration, dispatcher.HasRoom);
            for (var chat = 1; chat <= (batch == 0 ? 4 : 8); chat++)
            {
                await outbox.WriteAsync(new ConversationWrite(1, batch * 100 + chat, "{}"u8.ToArray(), ["completed"], 1, 2, "import"), CancellationToken.None);
            }
            await session.CommitAsync();
            leased += outbox.Enqueued.Count;
            dispatcher.Enqueue(outbox.Enqueued);
        }
        Assert.Equal(4, leased); // the second session found the lane full: its 8 wait in the store
        sender.Open();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sender.Sent < 12 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(12, sender.Sent);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
