using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Delivery.Signing;

namespace Chatport.Tests.Sources;

/// <summary>The inbound POST hook over real HTTP: every auth mode, duplicates and versions, malformed bodies.</summary>
public sealed class HooksTests : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _anonymous = _server.NewClient(null);
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    private static string Sample => File.ReadAllText(SeedEvents.SamplePath);

    private async Task<JsonElement> AddSourceAsync(object body) =>
        await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", body)).ReadJsonAsync(HttpStatusCode.Created);

    private Task<HttpResponseMessage> PostAsync(string url, byte[] body, Action<HttpRequestMessage>? sign = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        sign?.Invoke(request);
        return _anonymous.SendAsync(request);
    }

    private async Task<int> StoredCountAsync() =>
        (await (await _server.Client.GetAsync("/v1/accounts/208/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task A_token_hook_stores_the_sample_under_its_account_and_reads_it_back()
    {
        var url = (await AddSourceAsync(new { kind = "hook", auth = "token" })).GetProperty("url").GetString()!;

        var receipt = await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("created", receipt.GetProperty("status").GetString());
        Assert.Equal(208, receipt.GetProperty("accountId").GetInt64());
        var read = await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Sample), JsonNode.Parse(read)), read);
    }

    [Fact]
    public async Task The_same_body_is_a_duplicate_and_a_changed_one_a_new_version()
    {
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;
        await PostAsync(url, Encoding.UTF8.GetBytes(Sample));

        var again = await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample))).ReadJsonAsync(HttpStatusCode.OK);
        var changed = JsonNode.Parse(Sample)!;
        changed["channel"]!["rating"] = 3;
        var updated = await (await PostAsync(url, Encoding.UTF8.GetBytes(changed.ToJsonString()))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("duplicate", again.GetProperty("status").GetString());
        Assert.Equal(1, again.GetProperty("version").GetInt32());
        Assert.Equal("newVersion", updated.GetProperty("status").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task Basic_auth_needs_the_right_username_and_secret()
    {
        var source = await AddSourceAsync(new { kind = "hook", auth = "basic", username = "smartsupp", secret = "a-long-enough-secret" });
        var url = source.GetProperty("url").GetString()!;
        void Basic(HttpRequestMessage r, string credentials) =>
            r.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample), r => Basic(r, "smartsupp:wrong-secret-here"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample), r => Basic(r, "other:a-long-enough-secret"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await StoredCountAsync());
        await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample), r => Basic(r, "smartsupp:a-long-enough-secret"))).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Smartsupp_hmac_is_the_hex_hmac_of_the_raw_body()
    {
        var source = await AddSourceAsync(new { kind = "hook", auth = "smartsupp-hmac" });
        var url = source.GetProperty("url").GetString()!;
        var secret = source.GetProperty("secret").GetString()!;
        var body = Encoding.UTF8.GetBytes(Sample);
        var hmac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

        await (await PostAsync(url, body)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, body, r => r.Headers.Add("X-Smartsupp-Hmac", new string('0', 64)))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, body, r => r.Headers.Add("X-Smartsupp-Hmac", "not hex"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, [.. body, (byte)' '], r => r.Headers.Add("X-Smartsupp-Hmac", hmac))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAsync(url, body, r => r.Headers.Add("X-Smartsupp-Hmac", hmac.ToUpperInvariant()))).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Standard_webhooks_are_verified_and_replays_are_stored_once()
    {
        var source = await AddSourceAsync(new { kind = "hook", auth = "standard" });
        var url = source.GetProperty("url").GetString()!;
        var secret = WebhookSecret.Parse(source.GetProperty("secret").GetString()!);
        var body = Encoding.UTF8.GetBytes(Sample);
        void Sign(HttpRequestMessage r, string id, long timestamp, WebhookSecret key)
        {
            r.Headers.Add("webhook-id", id);
            r.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            r.Headers.Add("webhook-signature", WebhookSigner.Sign(id, timestamp, body, key));
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await (await PostAsync(url, body)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var old = await (await PostAsync(url, body, r => Sign(r, "msg_1", now - 600, secret))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("too old", old.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await PostAsync(url, body, r => Sign(r, "msg_1", now, WebhookSecret.Generate()))).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var first = await (await PostAsync(url, body, r => Sign(r, "msg_1", now, secret))).ReadJsonAsync(HttpStatusCode.OK);
        var changed = Encoding.UTF8.GetBytes(Sample.Replace("\"rating\": 5", "\"rating\": 4", StringComparison.Ordinal));
        var replay = await (await PostAsync(url, body, r => Sign(r, "msg_1", now + 1, secret))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("created", first.GetProperty("status").GetString());
        Assert.Equal("duplicate", replay.GetProperty("status").GetString());
        Assert.Equal(1, await StoredCountAsync());
        Assert.NotEqual(body, changed);
    }

    [Fact]
    public async Task An_unknown_token_is_a_404()
    {
        await (await PostAsync("/hooks/not-a-token", Encoding.UTF8.GetBytes(Sample))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> MalformedBodies()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000));
        return new()
        {
            { "not JSON", "hello"u8.ToArray(), HttpStatusCode.BadRequest, "not valid JSON" },
            { "empty", [], HttpStatusCode.BadRequest, "empty" },
            { "an array", Encoding.UTF8.GetBytes($"[{Sample}]"), HttpStatusCode.BadRequest, "not an array" },
            { "deep nesting", Encoding.UTF8.GetBytes($$"""{"channel":{"id":1},"messages":[],"x":{{deep}}}"""), HttpStatusCode.BadRequest, "not valid JSON" },
            { "invalid UTF-8", [.. "{\"channel\":{\"id\":1},\"messages\":[],\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8], HttpStatusCode.BadRequest, "not valid JSON" },
            { "string channel.id", """{"channel":{"id":"55039"},"messages":[]}"""u8.ToArray(), HttpStatusCode.BadRequest, "$.channel.id" },
            { "missing messages", """{"channel":{"id":1}}"""u8.ToArray(), HttpStatusCode.BadRequest, "$.messages" },
            { "object messages", """{"channel":{"id":1},"messages":{}}"""u8.ToArray(), HttpStatusCode.BadRequest, "$.messages" },
            { "bad sentAt", """{"channel":{"id":1},"messages":[{"sentAt":"now"}]}"""u8.ToArray(), HttpStatusCode.BadRequest, "$.messages[0].sentAt" },
            { "truncated", Encoding.UTF8.GetBytes(Sample[..200]), HttpStatusCode.BadRequest, "not valid JSON" },
            { "oversized", Encoding.UTF8.GetBytes($$"""{"channel":{"id":1},"messages":[],"x":"{{new string('a', 1_100_000)}}"}"""), HttpStatusCode.RequestEntityTooLarge, "limit" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Each_malformed_body_gets_its_4xx_and_nothing_is_stored(string what, byte[] body, HttpStatusCode status, string expected)
    {
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;

        var problem = await (await PostAsync(url, body)).AssertProblemAsync(status);

        Assert.True(problem.GetProperty("detail").GetString()!.Contains(expected, StringComparison.Ordinal), $"{what}: {problem}");
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/health/ready")).StatusCode);
        await (await PostAsync(url, Encoding.UTF8.GetBytes(Sample))).ReadJsonAsync(HttpStatusCode.OK); // and it still works
    }

    public static TheoryData<string, string> UnusualButValid()
    {
        var longTranscript = JsonNode.Parse(Sample)!;
        var messages = new JsonArray();
        for (var i = 0; i < 3000; i++)
        {
            messages.Add(new JsonObject { ["type"] = i % 2 == 0 ? "visitor" : "agent", ["name"] = "N", ["from"] = i % 2 == 0 ? "visitor:x" : "agent:1", ["content"] = $"message number {i} with some words", ["sentAt"] = 1427470439703L + i * 1000, ["triggeredBy"] = null });
        }
        longTranscript["messages"] = messages;
        return new()
        {
            { "unicode and emoji", Sample.Replace("Hello", "Dobrý den, jak se máte? 👋🏽 مرحبا 你好", StringComparison.Ordinal) },
            { "empty paths", Sample.Replace("\"paths\": [", "\"paths\": [], \"oldPaths\": [", StringComparison.Ordinal) },
            { "null rating", Sample.Replace("\"rating\": 5", "\"rating\": null", StringComparison.Ordinal).Replace("\"ratingDesc\": \"\"", "\"ratingDesc\": null", StringComparison.Ordinal) },
            { "variables of every type", Sample.Replace("\"value\": 208", "\"value\": 208.5", StringComparison.Ordinal).Replace("\"value\": \"pro\"", "\"value\": true", StringComparison.Ordinal).Replace("\"value\": \"1234\"", "\"value\": null", StringComparison.Ordinal) },
            { "a very long transcript", longTranscript.ToJsonString() },
            { "the older generation", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "older-generation.json")) },
        };
    }

    [Theory]
    [MemberData(nameof(UnusualButValid))]
    public async Task Unusual_but_valid_conversations_read_back_as_sent(string what, string json)
    {
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;

        await (await PostAsync(url, Encoding.UTF8.GetBytes(json))).ReadJsonAsync(HttpStatusCode.OK);

        var read = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039"));
        var expected = JsonNode.Parse(json)!;
        if (what == "the older generation")
        {
            expected = JsonNode.Parse(Sample)!;
            expected["visitor"]!["group"] = "sales";
        }
        Assert.True(JsonNode.DeepEquals(expected, read), what);
    }

    [Fact]
    public async Task Received_conversations_flow_to_the_accounts_destinations()
    {
        await using var receiver = await Receiver.StartAsync();
        await _server.PutAccountAsync(208, plan: "pro");
        await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = receiver.Url });
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;

        await PostAsync(url, Encoding.UTF8.GetBytes(Sample));

        var request = (await receiver.WaitForAsync(1)).Single();
        Assert.Equal(Sample, Encoding.UTF8.GetString(request.Body)); // the body exactly as received
        Assert.Equal("208", request.Headers["chatport-account-id"]);
    }

    [Fact]
    public async Task Refusals_are_counted_in_metrics()
    {
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;
        await PostAsync(url, "nope"u8.ToArray());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string metrics;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "no hook metrics");
            await Task.Delay(100);
            metrics = await _server.Client.GetStringAsync("/metrics");
        }
        while (!metrics.Contains("chatport_hooks_requests", StringComparison.Ordinal));
        Assert.Contains("reason=\"invalid\"", metrics, StringComparison.Ordinal);
    }

    // Issue 17: a hook files for its source's account only, and a body names its account and chat once.

    [Theory]
    [InlineData("another account", """{"accountId":309,"channel":{"id":1},"messages":[]}""", "The body is for account 309 ($.accountId), but this hook files conversations for account 208; nothing was stored.")]
    [InlineData("a repeated accountId", """{"accountId":309,"accountId":208,"channel":{"id":1},"messages":[]}""", "$.accountId: the key `accountId` is given more than once")]
    [InlineData("a repeated accountId, escaped", """{"accountId":208,"account\u0049d":309,"channel":{"id":1},"messages":[]}""", "$.accountId: the key `accountId` is given more than once")]
    [InlineData("a repeated channel.id", """{"accountId":208,"channel":{"id":1,"id":2},"messages":[]}""", "$.channel.id: the key `id` is given more than once")]
    [InlineData("a repeated channel", """{"accountId":208,"channel":{"id":1},"channel":{"id":2},"messages":[]}""", "$.channel: the key `channel` is given more than once")]
    public async Task A_body_that_is_not_for_the_hooks_account_is_a_400_and_nothing_is_stored(string what, string body, string expected)
    {
        await _server.PutAccountAsync(309);
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;

        var problem = await (await PostAsync(url, Encoding.UTF8.GetBytes(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("detail").GetString()!.Contains(expected, StringComparison.Ordinal), $"{what}: {problem}");
        Assert.True(problem.TryGetProperty("path", out _));
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(0, (await (await _server.Client.GetAsync("/v1/accounts/309/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_body_without_an_accountId_is_filed_under_the_hooks_account()
    {
        var url = (await AddSourceAsync(new { kind = "hook" })).GetProperty("url").GetString()!;

        var receipt = await (await PostAsync(url, """{"channel":{"id":5},"messages":[]}"""u8.ToArray())).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(208, receipt.GetProperty("accountId").GetInt64());
        Assert.Equal(1, await StoredCountAsync());
    }
}
