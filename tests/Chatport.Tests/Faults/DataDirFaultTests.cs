using Chatport.Tests.Cluster;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>
/// A data dir that cannot take writes: one that fills up under load (a small tmpfs mounted on it: a real full
/// disk), and one that is read-only (a read-only bind mount). Imports answer 503 with <c>Retry-After</c> and a
/// problem detail that says why, nothing acknowledged is lost, and once the disk can be written again the same
/// process takes imports again and delivers every acknowledged conversation — no restart.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class DataDirFaultTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_full_disk_answers_503_and_once_space_returns_the_same_process_delivers_every_acknowledged_conversation() =>
        Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        Assert.True(Environment.UserName == "root", "This test mounts a small tmpfs as the data dir (a disk that fills up); run it as root, as ./test.sh does on CI.");
        var timeline = new Timeline(output);
        // 20 ms a request: slower than the imports, so deliveries are still being sent while the disk is full.
        await using var receiver = await FaultSetup.SlowReceiverAsync(20);
        var dataDir = FaultSetup.NewDataDir();
        Directory.CreateDirectory(dataDir);
        await Commands.RunAsync("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dataDir);
        try
        {
            await using var node = await NodeProcess.StartSqliteAsync(dataDir);
            await FaultSetup.PutAccountAsync(node);
            await FaultSetup.AddWebhookAsync(node, receiver);
            timeline.Log($"SQLite node {node.Pid} ready on a 24 MiB tmpfs");

            var phase = "filling";
            await using var load = ImportLoad.Start([node], new ChatIds(), during: _ => Volatile.Read(ref phase));
            int Answered(string label) => load.Answers.TryGetValue(label, out var count) ? count : 0;
            await Bounded.UntilAsync(() => Answered("filling 503") >= 20, DateTime.UtcNow.AddSeconds(60),
                () => $"The disk never filled up within 60 s: {load}\nNode output:\n{node.Output}", cancellationToken);
            timeline.Log($"the disk is full: {load}");
            // Deliveries sent while it is full: their results cannot be written yet.
            var receivedWhenFull = receiver.Requests.Count;
            await Bounded.UntilAsync(() => receiver.Requests.Count >= receivedWhenFull + 100, DateTime.UtcNow.AddSeconds(30),
                () => $"No deliveries were sent while the disk was full ({receiver.Requests.Count - receivedWhenFull} in 30 s).", cancellationToken);
            timeline.Log($"{receiver.Requests.Count - receivedWhenFull} deliveries sent while the disk is full");

            Volatile.Write(ref phase, "room");
            await Commands.RunAsync("mount", "-o", "remount,size=512m", dataDir);
            timeline.Log("the tmpfs has room again (512 MiB)");
            await Bounded.UntilAsync(() => Answered("room 200") >= 20, DateTime.UtcNow.AddSeconds(30),
                () => $"The node did not take imports again within 30 s of the space coming back: {load}\nNode output:\n{node.Output}", cancellationToken);
            await load.StopAsync();
            timeline.Log($"load stopped: {load}");
            // Every 503 had Retry-After and a problem detail; nothing else went wrong.
            Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}");
            Assert.True(Answered("filling 200") > 0, $"Nothing was acknowledged before the disk filled: {load}");

            await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], DateTime.UtcNow.AddSeconds(60), "within 60 s of the last import",
                [node], timeline, cancellationToken);
            // The delivery log is right too, without waiting for leases to run out: the results that could not be
            // written while the disk was full were written once it could take them — so none is sent a second time
            // when its lease runs out.
            await Bounded.UntilAsync(async () => (await FaultSetup.PendingDeliveriesAsync(node)) == 0, DateTime.UtcNow.AddSeconds(5),
                () => $"Deliveries still pending 5 s after all arrived. Node output:\n{node.Output}", cancellationToken);
            Assert.Equal(FaultSetup.DistinctReceived(receiver), receiver.Requests.Count);
            timeline.Log("no delivery pending, none sent twice");
        }
        finally
        {
            await Commands.RunAsync("umount", "-l", dataDir);
            FaultSetup.DeleteDataDir(dataDir);
        }
    });

    [Fact]
    public Task A_read_only_data_dir_answers_503_and_once_it_can_be_written_the_same_process_takes_imports_and_delivers_them() =>
        Bounded.RunAsync(TimeSpan.FromMinutes(2), async cancellationToken =>
    {
        Assert.True(Environment.UserName == "root", "This test bind-mounts the data dir read-only; run it as root, as ./test.sh does on CI.");
        var timeline = new Timeline(output);
        await using var receiver = await FaultSetup.SlowReceiverAsync(2);
        var dataDir = FaultSetup.NewDataDir();
        var mounted = false;
        try
        {
            await using var node = await NodeProcess.StartSqliteAsync(dataDir);
            await FaultSetup.PutAccountAsync(node);
            await FaultSetup.AddWebhookAsync(node, receiver);
            node.Terminate();
            await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await Commands.RunAsync("mount", "--bind", dataDir, dataDir);
            mounted = true;
            await Commands.RunAsync("mount", "-o", "remount,bind,ro", dataDir);
            await node.RestartAsync(untilLive: true); // alive, not ready: it cannot write
            timeline.Log($"node {node.Pid} restarted on its data dir, now read-only");

            var phase = "read-only";
            await using var load = ImportLoad.Start([node], new ChatIds(), during: _ => Volatile.Read(ref phase));
            int Answered(string label) => load.Answers.TryGetValue(label, out var count) ? count : 0;
            await Bounded.UntilAsync(() => Answered("read-only 503") >= 10, DateTime.UtcNow.AddSeconds(30),
                () => $"Imports to a read-only data dir did not answer 503: {load}\nNode output:\n{node.Output}", cancellationToken);
            using (var refused = await node.Client.PostAsync("/v1/conversations",
                new StringContent(SeedBodies.Conversations([999_999]), System.Text.Encoding.UTF8, "application/json")))
            {
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Contains("read-only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using (var ready = await node.Client.GetAsync("/health/ready"))
            {
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("read-only", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            timeline.Log($"read-only: {load}");

            Volatile.Write(ref phase, "writable");
            await Commands.RunAsync("mount", "-o", "remount,bind,rw", dataDir);
            timeline.Log("the data dir can be written again");
            await Bounded.UntilAsync(() => Answered("writable 200") >= 10, DateTime.UtcNow.AddSeconds(30),
                () => $"The node did not take imports again within 30 s of the data dir becoming writable: {load}\nNode output:\n{node.Output}",
                cancellationToken);
            await load.StopAsync();
            timeline.Log($"load stopped: {load}");
            Assert.True(load.ProblemCount == 0, $"{load}:\n{string.Join("\n", load.Problems)}\nNode output:\n{node.Output}");
            Assert.Equal(0, Answered("read-only 200"));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await node.Client.GetAsync("/health/ready")).StatusCode);

            await FaultSetup.AssertAllDeliveredAsync(receiver, [.. load.Acknowledged], DateTime.UtcNow.AddSeconds(30), "within 30 s of the last import",
                [node], timeline, cancellationToken);
        }
        finally
        {
            if (mounted)
            {
                await Commands.RunAsync("umount", "-l", dataDir);
            }
            FaultSetup.DeleteDataDir(dataDir);
        }
    });
}
