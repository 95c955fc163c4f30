using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Cluster;

/// <summary>Several <c>chatport serve</c> processes on one PostgreSQL, as a user outgrowing one machine runs them.</summary>
public sealed class MultiNodeTests
{
    private static string Conversations(IEnumerable<long> chatIds)
    {
        var sample = File.ReadAllText(SeedEvents.SamplePath);
        return "[" + string.Join(",", chatIds.Select(id =>
        {
            var node = JsonNode.Parse(sample)!;
            node["channel"]!["id"] = id;
            return node.ToJsonString();
        })) + "]";
    }

    private static async Task SetUpAsync(NodeProcess node, Receiver receiver)
    {
        var account = await node.Client.PutAsJsonAsync("/v1/accounts/208", new { name = "Acme", plan = "pro" });
        Assert.True(account.IsSuccessStatusCode, await account.Content.ReadAsStringAsync());
        var destination = await node.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = receiver.Url });
        Assert.Equal(HttpStatusCode.Created, destination.StatusCode);
    }

    private static async Task<HashSet<string>> WaitForConversationsAsync(Receiver receiver, IReadOnlyCollection<long> expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var seen = receiver.Requests.Select(r => r.Headers["chatport-conversation-id"]).ToHashSet();
            if (expected.All(id => seen.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                return seen;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"{expected.Count(id => !seen.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))} acknowledged conversation(s) never arrived.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Conversations_imported_through_any_node_are_delivered_once_each()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => NodeProcess.StartAsync(database.ConnectionString, dataDir)));
        try
        {
            await SetUpAsync(nodes[0], receiver);
            var ids = Enumerable.Range(1, 300).Select(i => (long)i).ToList();

            await Task.WhenAll(ids.Chunk(10).Select(async (chunk, i) =>
            {
                var response = await nodes[i % 3].Client.PostAsync("/v1/conversations", new StringContent(Conversations(chunk), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }));

            await WaitForConversationsAsync(receiver, ids, TimeSpan.FromSeconds(60));
            await Task.Delay(2000); // give any double delivery the time to show up
            Assert.Equal(300, receiver.Requests.Count);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_node_killed_mid_load_loses_no_acknowledged_conversation()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        string[] fastLeases = ["--Chatport:Delivery:LeaseDuration=00:00:03", "--Chatport:Delivery:PollInterval=00:00:00.200"];
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => NodeProcess.StartAsync(database.ConnectionString, dataDir, fastLeases)));
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(20); // slow enough that the victim dies with deliveries in flight
            return 200;
        };
        try
        {
            await SetUpAsync(nodes[0], receiver);
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
            var batches = Enumerable.Range(0, 40).Select(b => Enumerable.Range(b * 20 + 1, 20).Select(i => (long)i).ToArray()).ToList();

            var load = Task.WhenAll(batches.Select(async (batch, i) =>
            {
                await Task.Delay(i * 25);
                try
                {
                    var response = await nodes[i % 3].Client.PostAsync("/v1/conversations", new StringContent(Conversations(batch), Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var id in batch)
                        {
                            acknowledged.Add(id);
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // The killed node: not acknowledged, so no promise was made.
                }
                catch (TaskCanceledException)
                {
                }
            }));
            await Task.Delay(400);
            nodes[1].Kill();
            await load;

            Assert.True(acknowledged.Count >= 500, $"only {acknowledged.Count} acknowledged");
            await WaitForConversationsAsync(receiver, [.. acknowledged], TimeSpan.FromSeconds(90));
            foreach (var conversation in receiver.Requests.GroupBy(r => r.Headers["chatport-conversation-id"]))
            {
                Assert.Single(conversation.Select(r => r.Headers["webhook-id"]).Distinct());
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
