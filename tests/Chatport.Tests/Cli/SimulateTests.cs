using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Cli.Simulate;
using Chatport.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Cli;

/// <summary>
/// <c>chatport simulate</c>, the real executable against a real server: the chats it sends finish as it says, a rerun
/// with the same seed is all duplicates, and a wrong key, an unreachable server or an unknown account say so plainly
/// with their exit codes. The server's clock is fake, so the chats left open drop without a wait.
/// </summary>
public sealed class SimulateTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Tracking:SweepInterval=01:00:00");
        (await _server.PutAccountAsync(208, inactivityTimeoutSeconds: 60)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    private Task<ChatportCli.Run> SimulateAsync(params string[] more) =>
        ChatportCli.RunAsync(["simulate", "--url", Url, "--key", ChatportServer.AdminKey, .. more]);

    private static void AssertPlain(ChatportCli.Run run)
    {
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.DoesNotContain('\u001b', run.Error);
    }

    [Fact]
    public async Task A_seeded_run_creates_the_conversations_it_announces_and_the_same_seed_again_is_all_duplicates()
    {
        const int Chats = 40;
        var run = await SimulateAsync("--account", "208", "--chats", $"{Chats}", "--seed", "42", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = JsonDocument.Parse(run.Output).RootElement;
        var events = summary.GetProperty("events").GetInt32();
        Assert.Equal(Chats, summary.GetProperty("chats").GetInt32());
        Assert.Equal(42, summary.GetProperty("seed").GetInt32());
        Assert.Equal(events, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(0, summary.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, summary.GetProperty("rejected").GetInt32());
        var kinds = summary.GetProperty("kinds");
        Assert.Equal(Chats, kinds.GetProperty("completed").GetInt32() + kinds.GetProperty("missed").GetInt32()
            + kinds.GetProperty("offline").GetInt32() + kinds.GetProperty("leftOpen").GetInt32());

        // The chats left open finish by inactivity, on the server's clock.
        _time.Advance(TimeSpan.FromMinutes(2));
        await _server.Services.GetRequiredService<InactivityTimeouts>().RunOnceAsync();

        var expected = Enumerable.Range(0, Chats).Select(i => SimulatedChat.Make(208, 42, i, _ => 0))
            .ToDictionary(c => c.ChatId, c => string.Join(",", c.ExpectedKinds));
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        var actual = list.GetProperty("items").EnumerateArray().ToDictionary(
            i => i.GetProperty("chatId").GetInt64(), i => string.Join(",", i.GetProperty("kinds").EnumerateArray().Select(k => k.GetString())));
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        Assert.Equal(["completed", "dropped", "missed", "missed,dropped", "offline"], expected.Values.Distinct().Order());

        // What the tour promises is in there: triggers, agents joining, ratings with and without comments, both closers.
        var bodies = new List<JsonNode>();
        foreach (var chatId in expected.Keys)
        {
            bodies.Add(JsonNode.Parse(await _server.Client.GetStringAsync($"/v1/accounts/208/conversations/{chatId}"))!);
        }
        var messages = bodies.SelectMany(b => b["messages"]!.AsArray()).ToList();
        Assert.Contains(bodies, b => (bool)b["channel"]!["isTriggered"]!);
        Assert.Contains(messages, m => (string?)m!["content"] == "agent.join");
        Assert.Contains(messages, m => (string?)m!["content"] == "close.visitorClose");
        Assert.Contains(messages, m => (string?)m!["content"] == "close.agentClose");
        Assert.Contains(bodies, b => b["channel"]!["rating"] is not null && (string?)b["channel"]!["ratingDesc"] == "");
        Assert.Contains(bodies, b => b["channel"]!["rating"] is not null && ((string?)b["channel"]!["ratingDesc"])?.Length > 0);
        Assert.Contains(bodies, b => (string?)b["visitor"]!["countryCode"] is "ES" or "MX" or "AR" or "CO");

        var again = await SimulateAsync("--account", "208", "--chats", $"{Chats}", "--seed", "42", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        var second = JsonDocument.Parse(again.Output).RootElement;
        Assert.Equal(events, second.GetProperty("events").GetInt32());
        Assert.Equal(0, second.GetProperty("accepted").GetInt32());
        Assert.Equal(events, second.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, second.GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task Piped_output_is_a_plain_summary()
    {
        var run = await SimulateAsync("--account", "208", "--chats", "12", "--seed", "7");

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertPlain(run);
        Assert.Contains("Simulated 12 chats for account 208 (seed 7,", run.Output, StringComparison.Ordinal);
        Assert.Contains("  completed  ", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"Events: (\d+) sent in 1 request\(s\): \1 accepted, 0 duplicates, 0 rejected\.", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task A_paced_run_stamps_its_chats_now()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var run = await SimulateAsync("--account", "208", "--chats", "6", "--rate", "50", "--seed", "3", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, JsonDocument.Parse(run.Output).RootElement.GetProperty("rejected").GetInt32());
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        var ends = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("endAt").GetInt64()).ToList();
        Assert.NotEmpty(ends);
        Assert.All(ends, end => Assert.InRange(end, before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task A_local_url_without_a_key_uses_the_data_dirs_admin_key_from_the_option_or_the_configuration()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dataDir, "admin.key"), ChatportServer.AdminKey + "\n");
            var run = await ChatportCli.RunAsync("simulate", "--url", Url, "--data-dir", dataDir, "--account", "208", "--chats", "3", "--seed", "5", "--json");
            Assert.True(run.ExitCode == 0, run.ToString());

            var configured = await ChatportCli.RunAsync(["simulate", "--url", Url, "--account", "208", "--chats", "3", "--seed", "6", "--json"],
                environment: new Dictionary<string, string> { ["Chatport__DataDir"] = dataDir });
            Assert.True(configured.ExitCode == 0, configured.ToString());

            var none = await ChatportCli.RunAsync("simulate", "--url", Url, "--data-dir", Path.Combine(dataDir, "nothing"), "--account", "208", "--chats", "3", "--seed", "5");
            Assert.Equal(4, none.ExitCode);
            Assert.Contains("401", none.Error, StringComparison.Ordinal);
            Assert.Contains("no --key, no CHATPORT_KEY", none.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_key_exits_4_with_a_plain_message()
    {
        var run = await ChatportCli.RunAsync(["simulate", "--url", Url, "--account", "208", "--chats", "2", "--seed", "1"],
            environment: new Dictionary<string, string> { ["CHATPORT_KEY"] = "not-the-key-0123456789" });

        Assert.Equal(4, run.ExitCode);
        AssertPlain(run);
        Assert.Equal("", run.Output);
        Assert.StartsWith("The key was refused (401 Unauthorized): The API key is not valid.", run.Error, StringComparison.Ordinal);
        Assert.Contains("The key used: CHATPORT_KEY.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_key_for_another_account_exits_4_and_says_it_is_forbidden()
    {
        (await _server.PutAccountAsync(309)).EnsureSuccessStatusCode();
        var key = await (await _server.PostJsonAsync("/v1/accounts/309/keys", """{"name":"cli"}""")).ReadJsonAsync(HttpStatusCode.Created);

        var run = await ChatportCli.RunAsync("simulate", "--url", Url, "--key", key.GetProperty("key").GetString()!, "--account", "208", "--chats", "2", "--seed", "1");

        Assert.Equal(4, run.ExitCode);
        Assert.StartsWith("The key may not do this (403 Forbidden):", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_and_says_so()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await ChatportCli.RunAsync("simulate", "--url", $"http://127.0.0.1:{port}", "--key", "any-key-0123456789", "--account", "208", "--chats", "2");

        Assert.Equal(3, run.ExitCode);
        AssertPlain(run);
        Assert.Equal($"Cannot reach Chatport at http://127.0.0.1:{port}: connection refused. Is `chatport serve` running?", run.Error.Trim());
    }

    [Fact]
    public async Task Events_the_server_rejects_exit_1_with_the_reasons()
    {
        var run = await SimulateAsync("--account", "999", "--chats", "3", "--seed", "2", "--json");

        Assert.Equal(1, run.ExitCode);
        var summary = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(summary.GetProperty("events").GetInt32(), summary.GetProperty("rejected").GetInt32());
        var reason = Assert.Single(summary.GetProperty("reasons").EnumerateArray()).GetString()!;
        Assert.Contains("Account 999 does not exist", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulate", "--account", "208")]
    [InlineData("simulate", "--account", "208", "--chats", "0")]
    [InlineData("simulate", "--account", "208", "--chats", "2", "--url", "ftp://example")]
    [InlineData("simulate", "--account", "208", "--chats", "2", "--frobnicate")]
    public async Task A_usage_error_exits_2(params string[] arguments)
    {
        var run = await ChatportCli.RunAsync(arguments);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEqual("", run.Error);
    }

    [Fact]
    public void The_same_seed_makes_the_same_events_and_another_seed_other_chats()
    {
        var first = SimulatedChat.Make(208, 42, 3, _ => 1_000);
        var again = SimulatedChat.Make(208, 42, 3, _ => 1_000);
        var other = SimulatedChat.Make(208, 43, 3, _ => 1_000);

        Assert.Equal(first.Events, again.Events);
        Assert.NotEqual(first.ChatId, other.ChatId);
        Assert.StartsWith($"{{\"id\":\"sim-42-{first.ChatId}-0\"", System.Text.Encoding.UTF8.GetString(first.Events[0]), StringComparison.Ordinal);
    }
}
