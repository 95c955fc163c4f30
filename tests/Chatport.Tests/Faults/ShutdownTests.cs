using Chatport.Tests.Cluster;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>
/// SIGTERM (what systemd, Docker and Kubernetes send) while imports are in flight and the receiver is slow: the
/// node stops taking requests, finishes what is in flight within <c>Chatport:ShutdownTimeout</c> (30 s), releases the
/// leases of what it did not send and exits 0; restarted, it delivers every acknowledged conversation at once.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_sqlite_node_stopped_with_sigterm_under_load_exits_0_and_loses_nothing() => Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await TerminateUnderLoadAsync(() => NodeProcess.StartSqliteAsync(dataDir), "SQLite", cancellationToken);
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    [Fact]
    public Task A_postgres_node_stopped_with_sigterm_under_load_exits_0_and_loses_nothing() => Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await TerminateUnderLoadAsync(() => NodeProcess.StartAsync(database.ConnectionString, dataDir), "PostgreSQL", cancellationToken);
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    private async Task TerminateUnderLoadAsync(Func<Task<NodeProcess>> start, string store, CancellationToken cancellationToken)
    {
        var timeline = new Timeline(output);
        await using var receiver = await FaultSetup.SlowReceiverAsync(20);
        await using var node = await start();
        await FaultSetup.PutAccountAsync(node);
        await FaultSetup.AddWebhookAsync(node, receiver);
        timeline.Log($"{store} node {node.Pid} ready on {node.BaseAddress}");

        await using var load = ImportLoad.Start([node], new ChatIds());
        await KillTests.WaitForBacklogAsync(load, receiver, node, cancellationToken);
        var undelivered = load.Acknowledged.Count - FaultSetup.DistinctReceived(receiver);
        node.Terminate();
        timeline.Log($"SIGTERM with {load.Acknowledged.Count} acknowledged, about {undelivered} not yet delivered");
        // No new import after the signal; those in flight get their answer (a 200 is a promise like any other).
        await load.StopAsync();
        timeline.Log($"load stopped: {load}");

        var exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(40));
        Assert.True(exitCode is not null, $"The node was still running 40 s after SIGTERM. Output:\n{node.Output}");
        timeline.Log($"exited with {exitCode}; {FaultSetup.DistinctReceived(receiver)} conversation(s) delivered by then");
        Assert.True(exitCode == 0, $"The node exited with {exitCode} after SIGTERM. Output:\n{node.Output}");
        Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}");
        Assert.True(undelivered > 0, "Every acknowledged conversation was delivered before SIGTERM: the test did not test what it is for.");

        var restartedAt = DateTime.UtcNow;
        await node.RestartAsync();
        timeline.Log($"restarted as {node.Pid} (ready {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after the restart)");
        await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], restartedAt.AddSeconds(10), "within 10 s of the restart",
            [node], timeline, cancellationToken);
    }
}
