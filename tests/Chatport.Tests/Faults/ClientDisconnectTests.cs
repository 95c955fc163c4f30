using System.Collections.Concurrent;
using System.Net;
using Chatport.Tests.Cluster;
using Npgsql;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>
/// Issue 13: a PostgreSQL node hung for good when clients disconnected mid-request (each cancelled Npgsql
/// command was cancelled synchronously, blocking a thread, until none was left). The reproduction, as a test:
/// 64 connections POST unique seed samples to an inbound hook for 3 s, then all are reset with their requests in
/// flight; five times. The node must keep answering, and keep every body it said 200 to.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class ClientDisconnectTests(ITestOutputHelper output)
{
    private const int Connections = 64;
    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(3);

    [Fact]
    public Task A_postgres_node_keeps_answering_when_64_clients_reset_their_connections_mid_request() => Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        var timeline = new Timeline(output);
        await using var database = await PostgresDatabase.CreateAsync();
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await using var node = await NodeProcess.StartAsync(database.ConnectionString, dataDir);
            await FaultSetup.PutAccountAsync(node);
            var hook = await FaultSetup.AddHookAsync(node);
            timeline.Log($"node {node.Pid} ready on {node.BaseAddress}, hook {hook}");
            var ids = new ChatIds();
            var stored = new List<long>();
            var resetInFlight = 0;
            for (var round = 1; round <= 5; round++)
            {
                var result = await HookLoad.RunAsync(node.BaseAddress, hook, Connections, RoundLength, RoundEnd.Abort, TimeSpan.FromSeconds(20), ids, cancellationToken);
                timeline.Log($"round {round}: {result}");
                Assert.True(result.ProblemCount == 0, $"round {round}: {result}:\n{string.Join("\n", result.Problems)}\nNode output:\n{node.Output}");
                await FaultSetup.AssertAnswersAsync(node, "/health/live", HttpStatusCode.OK, TimeSpan.FromSeconds(5),
                    $"after round {round} of 5 ({result})", cancellationToken);
                timeline.Log($"round {round}: /health/live 200");
                Assert.True(!result.Stored.IsEmpty, $"round {round}: no request was answered 200 ({result}). Node output:\n{node.Output}");
                stored.AddRange(result.Stored);
                resetInFlight += result.InFlightAtEnd ?? 0;
            }
            Assert.True(resetInFlight > 0, "No connection had a request in flight when it was reset: the test did not test what it is for.");

            await AssertReadableAsync(node, stored, cancellationToken);
            timeline.Log($"all {stored.Count} conversations answered 200 read back 200 ({resetInFlight} requests reset in flight over 5 rounds)");
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    [Fact]
    public Task With_a_pool_of_4_connections_and_64_clients_a_postgres_node_answers_200_or_503_and_never_hangs() => Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        var timeline = new Timeline(output);
        await using var database = await PostgresDatabase.CreateAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 4 }.ToString();
        var dataDir = FaultSetup.NewDataDir();
        try
        {
            await using var node = await NodeProcess.StartAsync(connectionString, dataDir);
            await FaultSetup.PutAccountAsync(node);
            var hook = await FaultSetup.AddHookAsync(node);
            timeline.Log($"node {node.Pid} ready on {node.BaseAddress} (Maximum Pool Size=4), hook {hook}");

            using var stopProbing = new CancellationTokenSource();
            var probe = ProbeLiveAsync(node, TimeSpan.FromSeconds(5), timeline, stopProbing.Token);
            var ids = new ChatIds();
            var stored = new List<long>();
            // Drained rounds show every request is answered (200 or 503, within 20 s); the reset one, that a full
            // pool and clients going away together do not wedge the node.
            RoundEnd[] ends = [RoundEnd.Drain, RoundEnd.Abort, RoundEnd.Drain];
            var answers = new ConcurrentDictionary<int, int>();
            var rounds = new List<string>();
            for (var round = 1; round <= ends.Length; round++)
            {
                var result = await HookLoad.RunAsync(node.BaseAddress, hook, Connections, RoundLength, ends[round - 1], TimeSpan.FromSeconds(20), ids, cancellationToken);
                timeline.Log($"round {round} ({ends[round - 1]}): {result}");
                rounds.Add($"round {round} ({ends[round - 1]}, ended at {timeline.Seconds:0.0} s): {result}");
                Assert.True(result.ProblemCount == 0, $"round {round} ({ends[round - 1]}): {result}:\n{string.Join("\n", result.Problems)}\nNode output:\n{node.Output}");
                await FaultSetup.AssertAnswersAsync(node, "/health/live", HttpStatusCode.OK, TimeSpan.FromSeconds(5),
                    $"after round {round} ({result})", cancellationToken);
                stored.AddRange(result.Stored);
                foreach (var (status, count) in result.Statuses)
                {
                    answers.AddOrUpdate(status, count, (_, n) => n + count);
                }
            }
            await stopProbing.CancelAsync();
            var probeFailures = await probe;
            timeline.Log($"/health/live probed throughout: {probeFailures.Count} failure(s)");
            Assert.True(probeFailures.Count == 0, $"/health/live did not answer 200 within 5 s during the load (at seconds of the test):\n"
                + $"{string.Join("\n", probeFailures.Take(10))}\n{string.Join("\n", rounds)}\nNode output:\n{node.Output}");
            Assert.True(answers.GetValueOrDefault(200) > 0, $"no request was answered 200 ({string.Join(", ", answers)}). Node output:\n{node.Output}");

            await AssertReadableAsync(node, stored, cancellationToken);
            timeline.Log($"all {stored.Count} conversations answered 200 read back 200");
        }
        finally
        {
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    /// <summary>GET /health/live every 250 ms on its own connection while the load runs; returns the failures.</summary>
    private static async Task<List<string>> ProbeLiveAsync(NodeProcess node, TimeSpan within, Timeline timeline, CancellationToken stop)
    {
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = within };
            var at = timeline.Seconds;
            try
            {
                using var response = await client.GetAsync("/health/live", CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{at:0.0} s: {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{at:0.0} s: {e.Message}");
            }
            catch (TaskCanceledException)
            {
                failures.Add($"{at:0.0} s: no answer within {within.TotalSeconds:0} s");
            }
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return failures;
    }

    /// <summary>Every chat the hook answered 200 for reads back 200 through the API (32 requests at a time).</summary>
    private static async Task AssertReadableAsync(NodeProcess node, IReadOnlyList<long> stored, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (chatId, ct) =>
        {
            using var response = await node.Client.GetAsync($"/v1/accounts/{SeedBodies.AccountId}/conversations/{chatId}", ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Enqueue($"chat {chatId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        }).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(failures.IsEmpty, $"{failures.Count} of {stored.Count} conversation(s) answered 200 by the hook do not read back:\n"
            + string.Join("\n", failures.Take(10)));
    }
}
