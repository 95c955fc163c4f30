using Chatport.Delivery;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Dispatching;
using Chatport.Delivery.Outbox;
using Chatport.Delivery.Retries;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Chatport.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Chatport.Tests.Dispatching;

/// <summary>Leases while the node lives (the heartbeat) and when it stops (drain, then release).</summary>
public sealed partial class DispatcherTests
{
    /// <summary>Holds every send until <see cref="Open"/>, or until the send is cancelled.</summary>
    private sealed class HeldSender : TestKind
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _sent;

        public int Started => Volatile.Read(ref _started);

        public int Sent => Volatile.Read(ref _sent);

        public void Open() => _open.TrySetResult();

        public override async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            await _open.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _sent);
            return new SendOutcome(SendResult.Delivered, 1, 200, null, null);
        }
    }

    private async Task<List<string>> EnqueueAsync(SqliteStore store, Dispatcher dispatcher, IOptions<DeliveryOptions> options, int count)
    {
        await using var session = await store.BeginAsync();
        var outbox = new ConversationOutbox(session, _time, options.Value.LeaseDuration, dispatcher.HasRoom);
        for (var chat = 1; chat <= count; chat++)
        {
            await outbox.WriteAsync(new ConversationWrite(1, chat, "{}"u8.ToArray(), ["completed"], 1, 2, "import"));
        }
        await session.CommitAsync();
        dispatcher.Enqueue(outbox.Enqueued);
        return [.. outbox.Enqueued.Select(d => d.Id)];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }

    private long LeaseUntil(string deliveryId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "chatport.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT lease_until FROM deliveries WHERE id = $id";
        command.Parameters.AddWithValue("$id", deliveryId);
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Stopping_lets_the_send_in_flight_finish_and_releases_what_was_never_sent()
    {
        var options = Options.Create(new DeliveryOptions { MaxConcurrencyPerDestination = 1 });
        var sender = new HeldSender();
        var (store, recorder, dispatcher) = await DispatcherAsync(options, sender);
        await recorder.StartAsync(CancellationToken.None);
        await dispatcher.StartAsync(CancellationToken.None);
        var ids = await EnqueueAsync(store, dispatcher, options, 3);
        await WaitUntilAsync(() => sender.Started == 1, "the first delivery was never sent");

        var stopping = dispatcher.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted); // it waits for the send in flight
        sender.Open();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal((1, 1), (sender.Started, sender.Sent)); // the other two were never started
        var statuses = new List<string>();
        foreach (var id in ids)
        {
            statuses.Add((await store.GetDeliveryAsync(id))!.Status);
        }
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Pending, DeliveryStatus.Succeeded], statuses.Order(StringComparer.Ordinal));
        // Released: claimable now, by another node or the next start, not when a 30 s lease runs out.
        var claimable = await store.ClaimDueDeliveriesAsync("dst_1", _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(30), 10);
        Assert.Equal(2, claimable.Count);
        Assert.All(claimable, d => Assert.Equal(DeliveryStatus.Pending, statuses[ids.IndexOf(d.Id)]));
    }

    [Fact]
    public async Task A_stop_that_runs_out_of_time_cancels_the_send_and_releases_it()
    {
        var options = Options.Create(new DeliveryOptions { MaxConcurrencyPerDestination = 1 });
        var sender = new HeldSender(); // never opened
        var (store, recorder, dispatcher) = await DispatcherAsync(options, sender);
        await recorder.StartAsync(CancellationToken.None);
        await dispatcher.StartAsync(CancellationToken.None);
        var ids = await EnqueueAsync(store, dispatcher, options, 2);
        await WaitUntilAsync(() => sender.Started == 1, "the first delivery was never sent");

        using var bound = new CancellationTokenSource();
        var stopping = dispatcher.StopAsync(bound.Token);
        await bound.CancelAsync(); // the host's shutdown timeout ran out
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal(0, sender.Sent);
        var claimable = await store.ClaimDueDeliveriesAsync("dst_1", _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(30), 10);
        Assert.Equal(ids.Order(StringComparer.Ordinal), claimable.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(claimable, d => Assert.Equal(0, d.Attempts));
    }

    [Fact]
    public async Task The_heartbeat_renews_the_lease_of_a_delivery_still_being_sent_every_third_of_the_lease()
    {
        var options = Options.Create(new DeliveryOptions { LeaseDuration = TimeSpan.FromSeconds(30) });
        var sender = new HeldSender();
        var (store, recorder, dispatcher) = await DispatcherAsync(options, sender);
        await dispatcher.StartAsync(CancellationToken.None);
        var start = _time.GetUtcNow();
        var id = Assert.Single(await EnqueueAsync(store, dispatcher, options, 1));
        await WaitUntilAsync(() => sender.Started == 1, "the delivery was never sent");
        Assert.Equal(start.AddSeconds(30).ToUnixTimeMilliseconds(), LeaseUntil(id));

        for (var beat = 1; beat <= 4; beat++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var expected = start.AddSeconds(10 * beat + 30).ToUnixTimeMilliseconds();
            await WaitUntilAsync(() => LeaseUntil(id) == expected, $"heartbeat {beat} did not renew the lease to now + 30 s: {LeaseUntil(id) - start.ToUnixTimeMilliseconds()} ms after start");
        }
        // 40 s after it was leased for 30: still this node's, since the node is alive and still sending it.
        Assert.Empty(await store.ClaimDueDeliveriesAsync("dst_1", _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(30), 10));

        sender.Open();
        await dispatcher.StopAsync(CancellationToken.None);
        await recorder.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task At_start_a_single_node_takes_back_the_leases_its_previous_process_held()
    {
        var options = Options.Create(new DeliveryOptions { LeaseDuration = TimeSpan.FromSeconds(30) });
        var sender = new HeldSender();
        var (store, _, dispatcher) = await DispatcherAsync(options, sender);
        // A previous process wrote these leased to itself, then died (it never handed them to a dispatcher).
        await using (var session = await store.BeginAsync())
        {
            var outbox = new ConversationOutbox(session, _time, options.Value.LeaseDuration, _ => true);
            await outbox.WriteAsync(new ConversationWrite(1, 1, "{}"u8.ToArray(), ["completed"], 1, 2, "import"));
            await session.CommitAsync();
        }
        sender.Open();

        await dispatcher.StartAsync(CancellationToken.None); // the fake clock never moves: only the recovery can free it
        await WaitUntilAsync(() => sender.Sent == 1, "the delivery leased by the previous process was not sent at start");
        await dispatcher.StopAsync(CancellationToken.None);
    }
}
