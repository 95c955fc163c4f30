using System.Net;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Conversations;

/// <summary>Many requests writing at once (group commit under load): every one answered 2xx and kept.</summary>
public sealed class ConcurrentWritesTests
{
    [Fact]
    public async Task Concurrent_imports_and_events_all_succeed_and_are_all_kept()
    {
        await using var server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        await server.PostJsonAsync("/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{receiver.Url}}"}""");
        var sample = await File.ReadAllTextAsync(SeedEvents.SamplePath);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(1, 600), new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (i, _) =>
        {
            HttpResponseMessage response;
            if (i % 3 == 0)
            {
                response = await server.PostJsonAsync("/v1/events", SeedEvents.All(chatId: 100_000 + i, idPrefix: $"c{i}"));
            }
            else
            {
                var node = JsonNode.Parse(sample)!;
                node["channel"]!["id"] = i;
                response = await server.PostJsonAsync("/v1/conversations", node.ToJsonString());
            }
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });

        Assert.Empty(failures);
        await receiver.WaitForAsync(600, TimeSpan.FromSeconds(60));
        var page = await (await server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(500, page.GetProperty("items").GetArrayLength());
    }
}
