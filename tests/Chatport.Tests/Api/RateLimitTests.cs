using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Chatport.Tests.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Api;

/// <summary>
/// Rate limits (<c>Chatport:RateLimits</c>): wrong API keys per client address, on by default; calls per account key on
/// <c>/v1</c> and requests per source on <c>/hooks</c>, off by default; the admin key never limited. Each is a 429
/// problem detail with <c>Retry-After</c>. Windows are real: long ones, and counts; a short one is waited out by polling.
/// </summary>
public sealed class RateLimitTests
{
    private const string Hour = "01:00:00";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<long> AssertTooManyAsync(HttpResponseMessage response, string detailMentions)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 }, $"Retry-After: {response.Headers.RetryAfter}");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(detailMentions, detail, StringComparison.Ordinal);
        Assert.Contains($"again in {(long)retryAfter!.Value.TotalSeconds} seconds", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        return (long)retryAfter.Value.TotalSeconds;
    }

    [Fact]
    public async Task By_default_a_few_hundred_wrong_keys_in_a_row_from_one_address_get_429s()
    {
        await using var server = await ChatportServer.StartAsync();
        using var wrong = server.NewClient("cp_wrong-key-0123456789abcdef");
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 300; i++)
        {
            statuses.Add((await wrong.GetAsync("/v1/accounts/208")).StatusCode);
        }

        // The first hundred are told the key is wrong; past them (a minute's window may turn once meanwhile), 429s.
        Assert.All(statuses.Take(100), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 100, string.Join(",", statuses.Select(s => (int)s)));
        await AssertTooManyAsync(await wrong.GetAsync("/v1/accounts/208"), "wrong API keys");
    }

    [Fact]
    public async Task Right_keys_and_missing_keys_are_not_counted_and_past_the_limit_a_right_key_is_refused_too()
    {
        await using var server = await ChatportServer.StartAsync(settings: ["--Chatport:RateLimits:FailedAuth:PermitLimit=5", $"--Chatport:RateLimits:FailedAuth:Window={Hour}"]);
        await server.PutAccountAsync(208);
        using var none = server.NewClient(null);
        using var wrong = server.NewClient("cp_wrong-key-0123456789abcdef");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/accounts/208")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync("/v1/accounts/208")).StatusCode);
        }
        for (var i = 0; i < 5; i++)
        {
            await (await wrong.GetAsync("/v1/accounts/208")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var retryAfter = await AssertTooManyAsync(await wrong.GetAsync("/v1/accounts/208"), "wrong API keys");
        Assert.InRange(retryAfter, 1, 3600);
        // Else the 429s would say which key was right.
        await AssertTooManyAsync(await server.Client.GetAsync("/v1/accounts/208"), "wrong API keys");
    }

    [Fact]
    public async Task Wrong_keys_sent_to_metrics_count_with_those_sent_to_v1()
    {
        await using var server = await ChatportServer.StartAsync(settings: ["--Chatport:RateLimits:FailedAuth:PermitLimit=4", $"--Chatport:RateLimits:FailedAuth:Window={Hour}",
            "--Chatport:Metrics:Key=metrics-key-0123456789abcdef"]);
        using var wrong = server.NewClient("cp_wrong-key-0123456789abcdef");
        using var metrics = server.NewClient("metrics-key-0123456789abcdef");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/metrics")).StatusCode); // the right key: not counted
        }
        await (await wrong.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await wrong.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await wrong.GetAsync("/v1/accounts/208")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await wrong.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        await AssertTooManyAsync(await wrong.GetAsync("/metrics"), "wrong API keys");
        await AssertTooManyAsync(await metrics.GetAsync("/metrics"), "wrong API keys");
        await AssertTooManyAsync(await server.Client.GetAsync("/v1/accounts/208"), "wrong API keys");
    }

    [Fact]
    public async Task An_address_past_the_limit_is_let_in_again_once_its_window_ends()
    {
        await using var server = await ChatportServer.StartAsync(settings: ["--Chatport:RateLimits:FailedAuth:PermitLimit=2", "--Chatport:RateLimits:FailedAuth:Window=00:00:01"]);
        await server.PutAccountAsync(208);
        using var wrong = server.NewClient("cp_wrong-key-0123456789abcdef");
        HttpStatusCode last;
        var tries = 0;
        do
        {
            last = (await wrong.GetAsync("/v1/accounts/208")).StatusCode; // counted until the window is used up
            Assert.True(++tries < 1000, "Wrong keys were never refused with 429.");
        }
        while (last != HttpStatusCode.TooManyRequests);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await server.Client.GetAsync("/v1/accounts/208")).StatusCode != HttpStatusCode.OK) // right keys are not counted
        {
            Assert.True(DateTime.UtcNow < deadline, "The address stayed refused after its one-second window.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Calls_per_account_key_are_limited_when_configured_each_key_on_its_own_and_the_admin_key_never()
    {
        await using var server = await ChatportServer.StartAsync(settings: ["--Chatport:RateLimits:AccountKey:PermitLimit=3", $"--Chatport:RateLimits:AccountKey:Window={Hour}"]);
        await server.PutAccountAsync(208);
        using var first = server.NewClient(await NewKeyAsync(server));
        using var second = server.NewClient(await NewKeyAsync(server));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/accounts/208")).StatusCode);
        }
        var retryAfter = await AssertTooManyAsync(await first.GetAsync("/v1/accounts/208/conversations"), "Chatport:RateLimits:AccountKey");
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/accounts/208")).StatusCode);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/accounts/208")).StatusCode);
        }
    }

    [Fact]
    public async Task Requests_per_hook_source_are_limited_when_configured_each_source_on_its_own()
    {
        await using var server = await ChatportServer.StartAsync(settings: ["--Chatport:RateLimits:Hook:PermitLimit=3", $"--Chatport:RateLimits:Hook:Window={Hour}"]);
        await server.PutAccountAsync(208);
        var busy = await NewHookAsync(server);
        var quiet = await NewHookAsync(server);
        using var anonymous = server.NewClient(null);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(busy, Json(SeedEvents.CompactSample()))).StatusCode);
        }
        await AssertTooManyAsync(await anonymous.PostAsync(busy, Json(SeedEvents.CompactSample())), "Chatport:RateLimits:Hook");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(quiet, Json(SeedEvents.CompactSample()))).StatusCode);
    }

    [Fact]
    public async Task Account_keys_and_hooks_are_not_limited_by_default()
    {
        await using var server = await ChatportServer.StartAsync();
        await server.PutAccountAsync(208);
        using var key = server.NewClient(await NewKeyAsync(server));
        var hook = await NewHookAsync(server);
        using var anonymous = server.NewClient(null);

        for (var i = 0; i < 150; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/v1/accounts/208")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(hook, Json(SeedEvents.CompactSample()))).StatusCode);
        }
    }

    [Fact]
    public async Task Refusals_are_counted_in_the_metrics_by_limit_and_logged_once_a_minute_not_once_each()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        using var logs = new LogCapture();
        await using var server = await ChatportServer.StartAsync(time: time, configure: logs.AddTo,
            settings: ["--Chatport:RateLimits:FailedAuth:PermitLimit=2", $"--Chatport:RateLimits:FailedAuth:Window={Hour}",
                "--Chatport:RateLimits:AccountKey:PermitLimit=1", $"--Chatport:RateLimits:AccountKey:Window={Hour}"]);
        await server.PutAccountAsync(208);
        using var wrong = FromOtherAddress(server, "cp_wrong-key-0123456789abcdef"); // so the admin key can still read /metrics
        using var key = server.NewClient(await NewKeyAsync(server));

        for (var i = 0; i < 12; i++)
        {
            await wrong.GetAsync("/v1/accounts/208"); // 2 × 401, then 10 × 429
        }
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/v1/accounts/208")).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            await AssertTooManyAsync(await key.GetAsync("/v1/accounts/208"), "Chatport:RateLimits:AccountKey");
        }

        var metrics = await (await server.Client.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("""chatport_rate_limit_refused_total\{[^}]*limit="failed_auth"[^}]*\} 10\b""", metrics);
        Assert.Matches("""chatport_rate_limit_refused_total\{[^}]*limit="account_key"[^}]*\} 3\b""", metrics);

        // The first refusal of each limit is logged at once; the rest wait for the minute, then are told as a count.
        string[] Lines(string limit) => [.. logs.Entries.Where(e => e.EventId.Id == 121 && e.Message.StartsWith($"The {limit} rate limit", StringComparison.Ordinal)).Select(e => e.Message)];
        Assert.Equal(["The failed_auth rate limit answered 429 to 1 request(s) since it last said so (Chatport:RateLimits; counted in chatport_rate_limit_refused_total)."], Lines("failed_auth"));
        Assert.Single(Lines("account_key"));
        time.Advance(TimeSpan.FromMinutes(1));
        await wrong.GetAsync("/v1/accounts/208");
        Assert.Equal(2, Lines("failed_auth").Length);
        Assert.StartsWith("The failed_auth rate limit answered 429 to 10 request(s)", Lines("failed_auth")[1], StringComparison.Ordinal);
    }

    /// <summary>A client whose connections come from 127.0.0.2: another client address on loopback.</summary>
    private static HttpClient FromOtherAddress(ChatportServer server, string key)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<string> NewKeyAsync(ChatportServer server, long accountId = 208) =>
        (await (await server.Client.PostAsJsonAsync($"/v1/accounts/{accountId}/keys", new { name = "platform" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString()!;

    private static async Task<string> NewHookAsync(ChatportServer server) =>
        (await (await server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("url").GetString()!;
}
