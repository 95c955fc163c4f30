using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Delivery.Signing;
using Chatport.Sources.Hooks;
using Chatport.Sources.Import;
using Chatport.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Chatport.Tests.Sources;

/// <summary>
/// One-conversation requests that arrive together share one transaction (inbound hooks, one-conversation imports), on
/// SQLite and on PostgreSQL: every request is still answered only once stored, with its own status and version; the
/// same chat twice in one batch gets its versions in arrival order; a Standard Webhooks id repeated inside a batch is
/// stored once; an import for an account that does not exist is refused alone; every stored version is delivered once.
/// </summary>
public sealed class GroupCommitTests
{
    private const int Bodies = 240;

    private static string Sample => File.ReadAllText(SeedEvents.SamplePath);

    /// <summary>A server on the store, with one shared transaction running at a time (so that batches fill).</summary>
    private static async Task<Node> StartAsync(string store)
    {
        string[] settings = ["--Chatport:Delivery:AllowPrivateTargets=true", "--Chatport:GroupCommit:InFlight=1"];
        if (store == "sqlite")
        {
            return new Node(await ChatportServer.StartAsync(settings: settings), null);
        }
        var database = await PostgresDatabase.CreateAsync();
        var server = await ChatportServer.StartAsync(settings:
            [.. settings, "--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={database.ConnectionString}"]);
        return new Node(server, database);
    }

    /// <summary>The server, and on PostgreSQL its own database: both gone when disposed.</summary>
    private sealed class Node(ChatportServer server, PostgresDatabase? database) : IAsyncDisposable
    {
        public ChatportServer Server { get; } = server;

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }
    }

    private static string BodyOf(long chatId, int rating = 5)
    {
        var node = JsonNode.Parse(Sample)!;
        node["channel"]!["id"] = chatId;
        node["channel"]!["rating"] = rating;
        return node.ToJsonString();
    }

    private static async Task<JsonElement> AddSourceAsync(ChatportServer server, string auth) =>
        await (await server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook", auth })).ReadJsonAsync(HttpStatusCode.Created);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_bodies_share_transactions_and_each_is_answered_with_its_own_outcome_once_stored(string store)
    {
        await using var node = await StartAsync(store);
        var server = node.Server;
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        await server.PostJsonAsync("/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{receiver.Url}}"}""");
        var url = (await AddSourceAsync(server, "token")).GetProperty("url").GetString()!;
        using var client = server.NewClient(null);

        // Chats 1..Bodies once each; chat 0 twice with two bodies (versions 1 and 2, in whichever order they
        // arrive) and chat -1 twice with one body (created once, then a duplicate).
        var posts = Enumerable.Range(1, Bodies).Select(i => (Chat: (long)i, Body: BodyOf(i)))
            .Concat([(Chat: 0L, Body: BodyOf(900_000, 1)), (Chat: 0L, Body: BodyOf(900_000, 2)), (Chat: -1L, Body: BodyOf(900_001)), (Chat: -1L, Body: BodyOf(900_001))]).ToArray();
        var receipts = new ConcurrentBag<(long Chat, JsonElement Receipt)>();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (post, _) =>
        {
            using var response = await client.PostAsync(url, new StringContent(post.Body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{(int)response.StatusCode}: {text}");
                return;
            }
            receipts.Add((post.Chat, JsonDocument.Parse(text).RootElement.Clone()));
        });

        Assert.Empty(failures);
        var singles = receipts.Where(r => r.Chat > 0).ToArray();
        Assert.Equal(Bodies, singles.Length);
        Assert.All(singles, r =>
        {
            Assert.Equal("created", r.Receipt.GetProperty("status").GetString());
            Assert.Equal(1, r.Receipt.GetProperty("version").GetInt32());
        });
        Assert.Equal(Enumerable.Range(1, Bodies).Select(i => (long)i), singles.Select(r => r.Receipt.GetProperty("chatId").GetInt64()).Order());
        var twoBodies = receipts.Where(r => r.Chat == 0).Select(r => (r.Receipt.GetProperty("status").GetString()!, r.Receipt.GetProperty("version").GetInt32())).Order().ToArray();
        Assert.Equal([("created", 1), ("newVersion", 2)], twoBodies);
        var sameBody = receipts.Where(r => r.Chat == -1).Select(r => r.Receipt.GetProperty("status").GetString()!).Order().ToArray();
        Assert.Equal(["created", "duplicate"], sameBody);

        var (batches, items) = server.Services.GetRequiredService<HookIntake>().Committed;
        Assert.Equal(Bodies + 4, items);
        Assert.True(batches < items, $"{items} bodies were filed in {batches} transactions: none shared one");

        // Every stored version is delivered once: the singles, chat 900000's two versions, chat 900001's one.
        var delivered = await receiver.WaitForAsync(Bodies + 3, TimeSpan.FromSeconds(60));
        Assert.Equal(Bodies + 3, delivered.Select(d => d.Headers["webhook-id"]).Distinct().Count());
        var stored = await (await server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Bodies + 2, stored.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_standard_webhooks_id_sent_twice_at_once_is_stored_once(string store)
    {
        await using var node = await StartAsync(store);
        var server = node.Server;
        await server.PutAccountAsync(208);
        var source = await AddSourceAsync(server, "standard");
        var url = source.GetProperty("url").GetString()!;
        var secret = WebhookSecret.Parse(source.GetProperty("secret").GetString()!);
        using var client = server.NewClient(null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        HttpRequestMessage Signed(string id, byte[] body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSigner.Sign(id, now, body, secret));
            return request;
        }

        // Forty messages, each sent twice at once (a sender's retry racing its first try), with different bodies
        // so that only the id can tell the second is a replay.
        var sends = Enumerable.Range(1, 40).SelectMany(i => new[] { (Id: $"msg_{i}", Body: BodyOf(i, 1)), (Id: $"msg_{i}", Body: BodyOf(i, 2)) }).ToArray();
        var statuses = new ConcurrentBag<(string Id, string Status)>();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (send, _) =>
        {
            using var response = await client.SendAsync(Signed(send.Id, Encoding.UTF8.GetBytes(send.Body)));
            var receipt = await response.ReadJsonAsync(HttpStatusCode.OK);
            statuses.Add((send.Id, receipt.GetProperty("status").GetString()!));
        });

        Assert.All(statuses.GroupBy(s => s.Id), g => Assert.Equal(["created", "duplicate"], g.Select(s => s.Status).Order()));
        var stored = await (await server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(40, stored.GetProperty("items").GetArrayLength());
        Assert.All(stored.GetProperty("items").EnumerateArray(), c => Assert.Equal(1, c.GetProperty("version").GetInt32()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_one_conversation_imports_share_transactions_and_one_for_a_missing_account_is_refused_alone(string store)
    {
        await using var node = await StartAsync(store);
        var server = node.Server;
        await server.PutAccountAsync(208);
        // Every tenth names account 209, which does not exist: refused with its reason, the others stored.
        var posts = Enumerable.Range(1, Bodies).Select(i =>
        {
            var node = JsonNode.Parse(BodyOf(i))!;
            node["accountId"] = i % 10 == 0 ? 209 : 208;
            return (Chat: (long)i, Body: node.ToJsonString());
        }).ToArray();
        var answers = new ConcurrentBag<(long Chat, HttpStatusCode Status, string Text)>();
        await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (post, _) =>
        {
            using var response = await server.PostJsonAsync("/v1/conversations", post.Body);
            answers.Add((post.Chat, response.StatusCode, await response.Content.ReadAsStringAsync()));
        });

        Assert.All(answers, a =>
        {
            if (a.Chat % 10 == 0)
            {
                Assert.Equal(HttpStatusCode.BadRequest, a.Status);
                Assert.Contains("Account 209 does not exist", a.Text, StringComparison.Ordinal);
                return;
            }
            Assert.Equal(HttpStatusCode.OK, a.Status);
            var result = JsonDocument.Parse(a.Text).RootElement;
            Assert.Equal(1, result.GetProperty("imported").GetInt32());
            var item = Assert.Single(result.GetProperty("items").EnumerateArray());
            Assert.Equal((a.Chat, "created", 1), (item.GetProperty("chatId").GetInt64(), item.GetProperty("outcome").GetString(), item.GetProperty("version").GetInt32()));
        });
        var (batches, items) = server.Services.GetRequiredService<ConversationImporter>().SinglesCommitted;
        Assert.True(batches < items, $"{items} imports were committed in {batches} transactions: none shared one");
        var stored = await (await server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Bodies - Bodies / 10, stored.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Live_events_one_per_request_share_transactions_and_every_chat_ends_as_the_seed_says(string store)
    {
        await using var node = await StartAsync(store);
        var server = node.Server;
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        await server.PostJsonAsync("/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{receiver.Url}}"}""");
        const int Chats = 40;

        // Each chat's events one request at a time, in order; the chats side by side. A repeated event is sent
        // again at the end of each chat (a duplicate), and a message after the close is refused.
        var failures = new ConcurrentBag<string>();
        var counts = new ConcurrentBag<(int Accepted, int Duplicates, int Rejected)>();
        await Parallel.ForEachAsync(Enumerable.Range(1, Chats), new ParallelOptions { MaxDegreeOfParallelism = Chats }, async (chat, _) =>
        {
            var events = SeedEvents.Events(208, 70_000 + chat, $"g{chat}").ToList();
            var late = JsonNode.Parse(events[1])!;
            late["id"] = $"g{chat}-late";
            foreach (var e in events.Append(events[0]).Append(late.ToJsonString()))
            {
                using var response = await server.PostJsonAsync("/v1/events", e);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.UnprocessableEntity)
                {
                    failures.Add($"{(int)response.StatusCode}: {text}");
                    continue;
                }
                var result = JsonDocument.Parse(text).RootElement;
                counts.Add(response.IsSuccessStatusCode
                    ? (result.GetProperty("accepted").GetInt32(), result.GetProperty("duplicates").GetInt32(), result.GetProperty("rejected").GetInt32())
                    : (0, 0, result.GetProperty("errorCount").GetInt32()));
            }
        });

        Assert.Empty(failures);
        var perChat = SeedEvents.Events(208, 1, "x").Count();
        Assert.Equal((Chats * perChat, Chats, Chats), (counts.Sum(c => c.Accepted), counts.Sum(c => c.Duplicates), counts.Sum(c => c.Rejected)));
        var (batches, items) = server.Services.GetRequiredService<Chatport.Sources.Events.EventIngestor>().SmallCommitted;
        Assert.Equal(Chats * (perChat + 2), items);
        Assert.True(batches < items, $"{items} event requests were committed in {batches} transactions: none shared one");

        // Every chat is the seed's conversation under its own id: delivered once each.
        var delivered = await receiver.WaitForAsync(Chats, TimeSpan.FromSeconds(60));
        var seed = JsonNode.Parse(SeedEvents.CompactSample())!;
        foreach (var body in delivered.Select(d => JsonNode.Parse(d.Body)!))
        {
            var chatId = body["channel"]!["id"]!.GetValue<long>();
            Assert.InRange(chatId, 70_001, 70_000 + Chats);
            body["channel"]!["id"] = seed["channel"]!["id"]!.GetValue<long>();
            Assert.True(JsonNode.DeepEquals(seed, body), body.ToJsonString());
        }
        Assert.Equal(Chats, delivered.Select(d => JsonNode.Parse(d.Body)!["channel"]!["id"]!.GetValue<long>()).Distinct().Count());
    }
}
