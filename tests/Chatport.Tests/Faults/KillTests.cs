using Chatport.Tests.Cluster;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>
/// A node killed with SIGKILL while imports and deliveries are in flight: every conversation it acknowledged is
/// still delivered — on SQLite by the same node restarted on its data dir (it takes its leases back at start), on
/// PostgreSQL by the surviving node once the dead one's leases run out (the default lease, ~30 s).
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class KillTests(ITestOutputHelper output)
{
    /// <summary>Acknowledged conversations before the kill: enough that some are surely still undelivered.</summary>
    private const int AcknowledgedBeforeKill = 1000;

    private const int VictimUndeliveredBeforeKill = 200;

    [Fact]
    public Task A_sqlite_node_killed_mid_load_delivers_every_acknowledged_conversation_within_30_s_of_its_restart() => Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        var timeline = new Timeline(output);
        await using var receiver = await FaultSetup.SlowReceiverAsync(20);
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await using var node = await NodeProcess.StartSqliteAsync(dataDir);
            await FaultSetup.PutAccountAsync(node);
            await FaultSetup.AddWebhookAsync(node, receiver);
            timeline.Log($"SQLite node {node.Pid} ready on {node.BaseAddress}");

            await using var load = ImportLoad.Start([node], new ChatIds());
            await WaitForBacklogAsync(load, receiver, node, cancellationToken);
            var undelivered = load.Acknowledged.Count - FaultSetup.DistinctReceived(receiver);
            node.Kill();
            timeline.Log($"SIGKILL with {load.Acknowledged.Count} acknowledged, about {undelivered} not yet delivered");
            await load.StopAsync();
            timeline.Log($"load stopped: {load}");
            Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}");
            Assert.True(undelivered > 0, "Every acknowledged conversation was delivered before the kill: the test did not test what it is for.");

            var restartedAt = DateTime.UtcNow;
            await node.RestartAsync();
            timeline.Log($"restarted as {node.Pid} on the same data dir (ready {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after the restart)");
            await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], restartedAt.AddSeconds(30), "within 30 s of the restart",
                [node], timeline, cancellationToken);
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    [Fact]
    public Task One_of_two_postgres_nodes_killed_mid_load_its_conversations_are_delivered_within_60_s_with_the_default_lease() => Bounded.RunAsync(TimeSpan.FromMinutes(2.5), async cancellationToken =>
    {
        var timeline = new Timeline(output);
        await using var database = await PostgresDatabase.CreateAsync();
        // 100 ms per request (16 at a time per node): slower than the imports, so the victim dies with a backlog.
        await using var receiver = await FaultSetup.SlowReceiverAsync(100);
        string[] dataDirs = [FaultSetup.NewDataDir(), FaultSetup.NewDataDir()];
        try
        {
            // The default lease settings: no LeaseDuration, no PollInterval.
            await using var survivor = await NodeProcess.StartAsync(database.ConnectionString, dataDirs[0]);
            await using var victim = await NodeProcess.StartAsync(database.ConnectionString, dataDirs[1]);
            await FaultSetup.PutAccountAsync(survivor);
            await FaultSetup.AddWebhookAsync(survivor, receiver);
            timeline.Log($"PostgreSQL nodes {survivor.Pid} (survivor) and {victim.Pid} (victim) ready");

            await using var load = ImportLoad.Start([survivor, victim], new ChatIds());
            // The victim's own imports are the deliveries it holds leases on: kill it with enough of them unsent.
            int VictimUndelivered()
            {
                var received = receiver.Requests.Select(r => r.Headers["chatport-conversation-id"]).ToHashSet();
                return load.AcknowledgedThrough(victim).Count(id => !received.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            await Bounded.UntilAsync(() => VictimUndelivered() >= VictimUndeliveredBeforeKill, DateTime.UtcNow.AddSeconds(30),
                () => $"The victim did not have {VictimUndeliveredBeforeKill} acknowledged conversations undelivered within 30 s ({load}; "
                    + $"{receiver.Requests.Count} at the receiver):\n{string.Join("\n", load.Problems)}\nVictim output:\n{victim.Output}",
                cancellationToken, intervalMs: 20);
            victim.Kill();
            var killedAt = DateTime.UtcNow;
            var undelivered = VictimUndelivered();
            timeline.Log($"SIGKILL to {victim.Pid} with {load.Acknowledged.Count} acknowledged, {load.AcknowledgedThrough(victim).Count} through the victim, "
                + $"{undelivered} of those not yet delivered");
            await load.StopAsync();
            timeline.Log($"load stopped: {load}");
            Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nSurvivor output:\n{survivor.Output}\nVictim output:\n{victim.Output}");
            Assert.True(undelivered > 0, "Every conversation the victim acknowledged was delivered before the kill: the test did not test what it is for.");

            await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], killedAt.AddSeconds(60), "within 60 s of the kill (default lease settings)",
                [survivor, victim], timeline, cancellationToken);
        }
        finally
        {
            foreach (var dataDir in dataDirs)
            {
                FaultSetup.DeleteDataDir(dataDir);
            }
        }
    });

    /// <summary>Waits (bounded) until the load has <see cref="AcknowledgedBeforeKill"/> acknowledged and deliveries are flowing.</summary>
    internal static Task WaitForBacklogAsync(ImportLoad load, Receiver receiver, NodeProcess node, CancellationToken cancellationToken) =>
        Bounded.UntilAsync(() => load.Acknowledged.Count >= AcknowledgedBeforeKill && !receiver.Requests.IsEmpty, DateTime.UtcNow.AddSeconds(30),
            () => $"The load did not reach {AcknowledgedBeforeKill} acknowledged conversations with deliveries flowing within 30 s "
                + $"({load}; {receiver.Requests.Count} at the receiver):\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}",
            cancellationToken, intervalMs: 10);
}
