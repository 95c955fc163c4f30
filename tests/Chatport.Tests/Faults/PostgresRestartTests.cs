using System.Net;
using Chatport.Tests.Cluster;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>
/// The database goes away under load and comes back: while it is down the node still answers (liveness 200,
/// readiness 503, imports 503 with Retry-After — never a hang); once it is back the node is ready again within
/// 30 s and every conversation it acknowledged is delivered. On a PostgreSQL of the test's own.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    [Fact]
    public Task A_node_answers_while_postgres_is_down_and_recovers_when_it_is_back() => Bounded.RunAsync(TimeSpan.FromMinutes(2.5), async cancellationToken =>
    {
        var timeline = new Timeline(output);
        await using var postgres = await DedicatedPostgres.StartAsync();
        timeline.Log($"dedicated PostgreSQL at {postgres.ConnectionString} ({postgres.Dir})");
        await using var receiver = await FaultSetup.SlowReceiverAsync(20);
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await using var node = await NodeProcess.StartAsync(postgres.ConnectionString, dataDir);
            await FaultSetup.PutAccountAsync(node);
            await FaultSetup.AddWebhookAsync(node, receiver);
            timeline.Log($"node {node.Pid} ready on {node.BaseAddress}");

            // When PostgreSQL went down and came back (ticks, 0 until then): read by the load's workers to label answers.
            long downTicks = 0, upTicks = 0;
            string During(DateTime at)
            {
                var (d, u) = (Interlocked.Read(ref downTicks), Interlocked.Read(ref upTicks));
                return d != 0 && at.Ticks >= d && (u == 0 || at.Ticks < u) ? "outage" : "normal";
            }
            await using var load = ImportLoad.Start([node], new ChatIds(), workers: 2, pauseMs: 20, requestTimeout: TimeSpan.FromSeconds(10), during: During);
            await Bounded.UntilAsync(() => load.Acknowledged.Count >= 400 && !receiver.Requests.IsEmpty, DateTime.UtcNow.AddSeconds(30),
                () => $"The load did not reach 400 acknowledged conversations within 30 s ({load}):\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}",
                cancellationToken, intervalMs: 10);

            var down = DateTime.UtcNow;
            Interlocked.Exchange(ref downTicks, down.Ticks);
            await postgres.StopServerAsync();
            timeline.Log($"PostgreSQL stopped (-m immediate) with {load.Acknowledged.Count} acknowledged");
            var outageEnds = down + Outage;
            await FaultSetup.AssertAnswersAsync(node, "/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5),
                "With PostgreSQL down", cancellationToken);
            timeline.Log("/health/ready 503");
            var probes = 0;
            while (DateTime.UtcNow < outageEnds)
            {
                await FaultSetup.AssertAnswersAsync(node, "/health/live", HttpStatusCode.OK, TimeSpan.FromSeconds(2),
                    $"With PostgreSQL down for {(DateTime.UtcNow - down).TotalSeconds:0.0} s", cancellationToken);
                probes++;
                await Task.Delay(250, cancellationToken);
            }
            timeline.Log($"/health/live 200 to {probes} probes during the outage; imports so far: {load}");

            await postgres.StartServerAsync();
            var up = DateTime.UtcNow;
            Interlocked.Exchange(ref upTicks, up.Ticks);
            timeline.Log($"PostgreSQL started again after {(up - down).TotalSeconds:0.0} s");
            await FaultSetup.AssertAnswersAsync(node, "/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(30),
                "After PostgreSQL came back", cancellationToken);
            timeline.Log($"/health/ready 200 {(DateTime.UtcNow - up).TotalSeconds:0.0} s after PostgreSQL came back");
            var acknowledgedWhenUp = load.Acknowledged.Count;
            await Bounded.UntilAsync(() => load.Acknowledged.Count > acknowledgedWhenUp, DateTime.UtcNow.AddSeconds(15),
                () => $"No import was acknowledged within 15 s of the node being ready again ({load}):\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}",
                cancellationToken);
            await load.StopAsync();
            timeline.Log($"load stopped: {load}");

            Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}\nPostgreSQL log:\n{postgres.LogTail()}");
            Assert.True(load.Answers.Keys.Any(k => k.StartsWith("outage", StringComparison.Ordinal)),
                $"No import was answered while PostgreSQL was down ({load}): the node hung, or the test did not test what it is for. Node output:\n{node.Output}");
            await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], DateTime.UtcNow.AddSeconds(60), "within 60 s of the node being ready again",
                [node], timeline, cancellationToken);
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });
}
