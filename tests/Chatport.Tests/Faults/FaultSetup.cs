using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatport.Tests.Cluster;

namespace Chatport.Tests.Faults;

/// <summary>What every fault test sets up on its node, and the checks they share.</summary>
internal static class FaultSetup
{
    /// <summary>A fresh data dir under the temp folder; <see cref="DeleteDataDir"/> removes it.</summary>
    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "chatport-tests", "faults-" + Guid.NewGuid().ToString("N"));

    public static void DeleteDataDir(string dataDir)
    {
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Account 208 on the "pro" plan (the POST hook and inbound hooks need it).</summary>
    public static async Task PutAccountAsync(NodeProcess node)
    {
        var account = await node.Client.PutAsJsonAsync($"/v1/accounts/{SeedBodies.AccountId}", new { name = "Acme", plan = "pro" });
        Assert.True(account.IsSuccessStatusCode, $"PUT account: {(int)account.StatusCode} {await account.Content.ReadAsStringAsync()}");
    }

    /// <summary>A webhook destination of account 208 that sends to <paramref name="receiver"/>.</summary>
    public static async Task AddWebhookAsync(NodeProcess node, Receiver receiver)
    {
        var destination = await node.Client.PostAsJsonAsync($"/v1/accounts/{SeedBodies.AccountId}/destinations", new { kind = "webhook", url = receiver.Url });
        Assert.True(destination.StatusCode == HttpStatusCode.Created,
            $"POST destination: {(int)destination.StatusCode} {await destination.Content.ReadAsStringAsync()}");
    }

    /// <summary>A token-authenticated inbound hook of account 208; returns its path (<c>/hooks/…</c>).</summary>
    public static async Task<string> AddHookAsync(NodeProcess node)
    {
        var source = await node.Client.PostAsJsonAsync($"/v1/accounts/{SeedBodies.AccountId}/sources", new { kind = "hook", auth = "token" });
        var body = await source.Content.ReadAsStringAsync();
        Assert.True(source.StatusCode == HttpStatusCode.Created, $"POST source: {(int)source.StatusCode} {body}");
        var url = JsonDocument.Parse(body).RootElement.GetProperty("url").GetString()!;
        Assert.StartsWith("/hooks/", url);
        return url;
    }

    /// <summary>
    /// Polls <paramref name="path"/> on a fresh connection until it answers <paramref name="status"/>; fails past
    /// <paramref name="within"/>, saying what it got last.
    /// </summary>
    public static async Task AssertAnswersAsync(NodeProcess node, string path, HttpStatusCode status, TimeSpan within, string when, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "no answer";
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"{when}, {path} did not answer {(int)status} within {within.TotalSeconds:0.#} s (last: {last}). Node output:\n{node.Output}");
            }
            // A client per try: a new connection, not one the node may have stopped reading.
            using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = left };
            try
            {
                using var response = await client.GetAsync(path, cancellationToken);
                if (response.StatusCode == status)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = $"no answer in {left.TotalSeconds:0.#} s";
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until every conversation in <paramref name="acknowledged"/> has reached <paramref name="receiver"/>
    /// (by its <c>chatport-conversation-id</c> header); past <paramref name="deadline"/> fails with how many are
    /// missing, a few of their ids, and the nodes' output.
    /// </summary>
    public static async Task AssertAllDeliveredAsync(Receiver receiver, IReadOnlyCollection<long> acknowledged, DateTime deadline, string deadlineMeans,
        IEnumerable<NodeProcess> nodes, Timeline timeline, CancellationToken cancellationToken)
    {
        var missing = acknowledged.ToHashSet();
        var read = 0;
        await Bounded.UntilAsync(() =>
        {
            foreach (var request in receiver.Requests.Skip(read))
            {
                read++;
                missing.Remove(long.Parse(request.Headers["chatport-conversation-id"], CultureInfo.InvariantCulture));
            }
            return missing.Count == 0;
        }, deadline, () =>
            $"{missing.Count} of {acknowledged.Count} acknowledged conversation(s) had not arrived at the receiver {deadlineMeans} "
            + $"(e.g. chat {string.Join(", ", missing.Order().Take(5))}); it got {read} request(s). Node output:\n"
            + string.Join("\n", nodes.Select(n => n.Output)),
            cancellationToken);
        timeline.Log($"all {acknowledged.Count} acknowledged conversations arrived ({read} requests at the receiver)");
    }

    /// <summary>How many of account 208's deliveries the delivery log shows as pending (at most one page of them).</summary>
    public static async Task<int> PendingDeliveriesAsync(NodeProcess node)
    {
        var answer = await node.Client.GetAsync($"/v1/accounts/{SeedBodies.AccountId}/deliveries?status=pending");
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"GET deliveries: {(int)answer.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength();
    }

    /// <summary>How many distinct conversations the receiver has got.</summary>
    public static int DistinctReceived(Receiver receiver) =>
        receiver.Requests.Select(r => r.Headers["chatport-conversation-id"]).Distinct().Count();

    /// <summary>A receiver that takes <paramref name="delayMs"/> per request, so that deliveries are in flight when the node is hit.</summary>
    public static async Task<Receiver> SlowReceiverAsync(int delayMs)
    {
        var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(delayMs);
            return 200;
        };
        return receiver;
    }
}
