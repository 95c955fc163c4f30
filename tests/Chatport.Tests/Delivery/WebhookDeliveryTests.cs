using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatport.Delivery.Signing;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Delivery;

/// <summary>Events in → the exact seed JSON at a real receiver, signed, retried, logged, replayable.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver = await Receiver.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<(string Id, string Secret)> AddDestinationAsync(object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["kind"] = "webhook", ["url"] = _receiver.Url };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", body)).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    private async Task<JsonElement> DeliveryLogAsync(string? query = null) =>
        await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries{query}")).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>Waits until the delivery log shows what is expected (attempt results are written in batches).</summary>
    private async Task<JsonElement> WaitForDeliveryAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var items = (await DeliveryLogAsync()).GetProperty("items");
            if (items.GetArrayLength() > 0 && done(items[0]))
            {
                return items[0];
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never showed the expected state: {items}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Events_in_deliver_the_exact_seed_json_signed_to_the_receiver()
    {
        var (_, secret) = await AddDestinationAsync();

        await (await _server.PostJsonAsync("/v1/events", SeedEvents.All())).ReadJsonAsync(HttpStatusCode.Accepted);

        var request = (await _receiver.WaitForAsync(1)).Single();
        Assert.Equal(SeedEvents.CompactSample(), Encoding.UTF8.GetString(request.Body));
        Assert.StartsWith("application/json", request.Headers["content-type"], StringComparison.Ordinal);
        var verification = WebhookVerifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"],
            request.Body, WebhookSecret.Parse(secret), _time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.True(verification.IsValid, verification.Error);
        Assert.Equal("208", request.Headers["chatport-account-id"]);
        Assert.Equal("55039", request.Headers["chatport-conversation-id"]);
        Assert.Equal("1", request.Headers["chatport-conversation-version"]);
        Assert.Equal("completed", request.Headers["chatport-conversation-kinds"]);

        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(request.Headers["webhook-id"], delivery.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_late_rating_is_delivered_again_as_version_2()
    {
        await AddDestinationAsync();
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        await _receiver.WaitForAsync(1);

        await _server.PostJsonAsync("/v1/events", """[{"id":"late","accountId":208,"chatId":55039,"at":1427470500000,"type":"rating","rating":{"rating":1}}]""");

        var second = (await _receiver.WaitForAsync(2))[1];
        Assert.Equal("2", second.Headers["chatport-conversation-version"]);
        Assert.Equal("55039", second.Headers["chatport-conversation-id"]);
        Assert.Equal(1, JsonDocument.Parse(second.Body).RootElement.GetProperty("channel").GetProperty("rating").GetInt32());
    }

    [Fact]
    public async Task A_receiver_that_fails_then_recovers_gets_the_conversation_with_the_same_webhook_id()
    {
        _receiver.Respond = (n, _) => Task.FromResult(n <= 2 ? 500 : 200);
        await AddDestinationAsync();

        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var first = await _receiver.WaitForAsync(2); // the first attempt and the immediate retry
        await WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() == 2);
        _time.Advance(TimeSpan.FromSeconds(7)); // past the 5 s retry, jitter included
        // A poll that came while the dispatcher still held the delivery (its result just written, the dispatcher not
        // yet told) leaves it to the next poll: the fake clock moves on, a second at a time, until the retry is sent.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_receiver.Requests.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var all = await _receiver.WaitForAsync(3);

        Assert.Single(all.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Equal(["1", "2", "3"], all.Select(r => r.Headers["chatport-attempt"]));
        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded");
        var log = await (await _server.Client.GetAsync($"/v1/deliveries/{delivery.GetProperty("id").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);
        var attempts = log.GetProperty("attemptLog");
        Assert.Equal([500, 500, 200], attempts.EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("answer 1", attempts[0].GetProperty("response").GetString());
    }

    [Fact]
    public async Task A_410_disables_the_destination()
    {
        _receiver.Respond = (_, _) => Task.FromResult(410);
        var (id, _) = await AddDestinationAsync();

        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        await _receiver.WaitForAsync(1);
        await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "failed");

        var destination = await (await _server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(destination.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", destination.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);

        await _server.PostJsonAsync("/v1/events", SeedEvents.All(chatId: 2, idPrefix: "two"));
        await Task.Delay(300);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task Replay_sends_again_with_the_same_webhook_id()
    {
        await AddDestinationAsync();
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        var first = (await _receiver.WaitForAsync(1))[0];
        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded");

        var replay = await _server.Client.PostAsync($"/v1/deliveries/{delivery.GetProperty("id").GetString()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

        var second = (await _receiver.WaitForAsync(2))[1];
        Assert.Equal(first.Headers["webhook-id"], second.Headers["webhook-id"]);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task Replay_by_destination_sends_its_failed_deliveries_again()
    {
        _receiver.Respond = (n, _) => Task.FromResult(n <= 2 ? 500 : 200);
        var (id, _) = await AddDestinationAsync(new { retrySchedule = new[] { "0" } }); // two attempts, then dead letter
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "failed");

        var replayed = await (await _server.Client.PostAsJsonAsync($"/v1/accounts/208/destinations/{id}/replay", new { status = "failed" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, replayed.GetProperty("replayed").GetInt32());
        await _receiver.WaitForAsync(3);
        await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded");
    }

    [Fact]
    public async Task Exhausted_retries_are_dead_lettered()
    {
        _receiver.Respond = (_, _) => Task.FromResult(503);
        await AddDestinationAsync(new { retrySchedule = new[] { "0", "5s" } });

        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        await WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() == 2);
        _time.Advance(TimeSpan.FromSeconds(7));

        // The dispatcher hands the delivery back to its pollers only once the recorder says its result is written,
        // which may come just after the log shows it: a poll on the next tick of the clock then finds it due.
        var delivery = await WaitForDeliveryAsync(d =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return d.GetProperty("status").GetString() == "failed";
        });
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(503, delivery.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public async Task Retry_after_on_a_429_is_honoured()
    {
        _receiver.Respond = (n, context) =>
        {
            context.Response.Headers.RetryAfter = "120";
            return Task.FromResult(n == 1 ? 429 : 200);
        };
        await AddDestinationAsync();
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Equal(_time.GetUtcNow().AddSeconds(120), delivery.GetProperty("nextAttemptAt").GetDateTimeOffset()); // not the immediate retry

        _time.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        Assert.Single(_receiver.Requests);

        _time.Advance(TimeSpan.FromSeconds(61));
        await _receiver.WaitForAsync(2);
    }

    [Fact]
    public async Task The_kinds_filter_sends_only_matching_conversations()
    {
        await AddDestinationAsync(new { kinds = new[] { "missed" } });

        await _server.PostJsonAsync("/v1/events", SeedEvents.All()); // completed: not sent
        await _server.PostJsonAsync("/v1/events", """
            [{"id":"m1","accountId":208,"chatId":7,"at":1000,"type":"message","message":{"type":"visitor","from":"visitor:v","content":"hello?"}},
             {"id":"m2","accountId":208,"chatId":7,"at":2000,"type":"close","close":{"by":"agent","name":"John"}}]
            """);

        var request = (await _receiver.WaitForAsync(1)).Single();
        Assert.Equal("7", request.Headers["chatport-conversation-id"]);
        Assert.Equal("missed", request.Headers["chatport-conversation-kinds"]);
    }

    [Fact]
    public async Task Imported_conversations_are_delivered_too()
    {
        await AddDestinationAsync();
        var sample = await File.ReadAllTextAsync(SeedEvents.SamplePath);

        await (await _server.PostJsonAsync("/v1/conversations", sample)).ReadJsonAsync(HttpStatusCode.OK);

        var request = (await _receiver.WaitForAsync(1)).Single();
        Assert.Equal(sample.TrimEnd(), Encoding.UTF8.GetString(request.Body)); // exactly as imported (the JSON value, without trailing whitespace)
    }

    [Fact]
    public async Task An_older_generation_import_is_delivered_normalized()
    {
        await AddDestinationAsync();
        var older = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "older-generation.json"));

        await _server.PostJsonAsync("/v1/conversations", older);

        var body = JsonDocument.Parse((await _receiver.WaitForAsync(1)).Single().Body).RootElement;
        Assert.Equal("sales", body.GetProperty("visitor").GetProperty("group").GetString());
        Assert.Equal("agent:3", body.GetProperty("messages")[3].GetProperty("from").GetString());
    }

    [Fact]
    public async Task The_test_button_sends_a_signed_sample_and_reports_the_answer()
    {
        var (id, secret) = await AddDestinationAsync();

        var result = await (await _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("succeeded").GetBoolean());
        Assert.Equal(200, result.GetProperty("statusCode").GetInt32());
        Assert.Equal("answer 1", result.GetProperty("response").GetString());
        var request = (await _receiver.WaitForAsync(1)).Single();
        Assert.True(WebhookVerifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"],
            request.Body, WebhookSecret.Parse(secret), _time.GetUtcNow(), TimeSpan.FromMinutes(5)).IsValid);
    }

    [Fact]
    public async Task A_rotated_secret_signs_beside_the_previous_one()
    {
        var (id, oldSecret) = await AddDestinationAsync();
        var rotated = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}", new { rotateSecret = true })).ReadJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;

        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var request = (await _receiver.WaitForAsync(1)).Single();
        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        foreach (var secret in new[] { oldSecret, newSecret })
        {
            Assert.True(WebhookVerifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"],
                request.Body, WebhookSecret.Parse(secret), _time.GetUtcNow(), TimeSpan.FromMinutes(5)).IsValid);
        }
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_the_destinations_timeout_fails_the_attempt_and_the_log_says_so()
    {
        await AddDestinationAsync(new { timeoutSeconds = 2 });
        var never = new TaskCompletionSource<int>();
        _receiver.Respond = (_, _) => never.Task;
        await (await _server.PostJsonAsync("/v1/conversations", await File.ReadAllTextAsync(SeedEvents.SamplePath))).ReadJsonAsync(HttpStatusCode.OK);
        await _receiver.WaitForAsync(1);

        _time.Advance(TimeSpan.FromSeconds(3)); // the timeout runs on the injected clock

        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("lastError").GetString() is { } error && error.Contains("timeout", StringComparison.Ordinal));
        Assert.Equal("No answer within 2 s (timeout).", delivery.GetProperty("lastError").GetString());
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastStatusCode").ValueKind);
        never.SetResult(200);
    }

    [Fact]
    public async Task Imported_conversations_waiting_for_delivery_keep_their_bytes_while_later_imports_arrive()
    {
        // Import bodies are read into pooled buffers that later requests reuse: a conversation still queued for
        // delivery must have been copied out of its request, or it is sent with a later request's bytes.
        await AddDestinationAsync();
        var gate = new TaskCompletionSource();
        _receiver.Respond = async (_, _) =>
        {
            await gate.Task;
            return 200;
        };
        var sent = new Dictionary<string, string>();
        for (var batch = 0; batch < 6; batch++)
        {
            var conversations = Enumerable.Range(batch * 30 + 1, 30).Select(id => ImportedConversation(id, $"batch {batch}")).ToList();
            foreach (var (id, json) in conversations)
            {
                sent[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = json;
            }
            await (await _server.PostJsonAsync("/v1/conversations", $"[{string.Join(',', conversations.Select(c => c.Json))}]")).ReadJsonAsync(HttpStatusCode.OK);
        }
        gate.SetResult();

        var received = await _receiver.WaitForAsync(sent.Count, TimeSpan.FromSeconds(30));

        foreach (var request in received)
        {
            var id = request.Headers["chatport-conversation-id"];
            Assert.Equal(sent[id], Encoding.UTF8.GetString(request.Body));
        }
    }

    private static (int Id, string Json) ImportedConversation(int id, string note)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "seed-sample.json")))!;
        node["channel"]!["id"] = id;
        node["visitor"]!["note"] = $"{note}, conversation {id}";
        return (id, node.ToJsonString());
    }
}
