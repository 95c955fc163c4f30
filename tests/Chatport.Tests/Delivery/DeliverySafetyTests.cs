using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Delivery;

/// <summary>The SSRF guard and the no-head-of-line rule, end to end.</summary>
public sealed class DeliverySafetyTests
{
    private static async Task<JsonElement> WaitForLogAsync(ChatportServer server, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var items = (await (await server.Client.GetAsync("/v1/accounts/208/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
            if (items.GetArrayLength() > 0 && done(items[0]))
            {
                return items[0];
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never showed the expected state: {items}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_blocked_target_never_receives_a_byte_and_the_attempt_says_why()
    {
        await using var server = await ChatportServer.StartAsync(); // private targets not allowed
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        var url = receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal); // a name that resolves to loopback
        await (await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url })).ReadJsonAsync(HttpStatusCode.Created);

        await server.PostJsonAsync("/v1/events", SeedEvents.All());

        var delivery = await WaitForLogAsync(server, d => d.GetProperty("attempts").GetInt32() >= 1);
        Assert.Contains("loopback", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastStatusCode").ValueKind);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_target_blocked_after_DNS_is_reported_without_the_address_it_resolves_to()
    {
        await using var server = await ChatportServer.StartAsync(); // private targets not allowed
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        var url = receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal); // resolves to 127.0.0.1 and ::1: an internal name's address
        var id = (await (await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        const string Said = "Blocked before connecting: Blocked delivery target 'localhost': it resolves to an address that is not allowed (private, loopback or reserved). "
            + "Set Chatport:Delivery:AllowPrivateTargets to true to allow private targets.";

        var test = await (await server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        await server.PostJsonAsync("/v1/events", SeedEvents.All());
        var delivery = await WaitForLogAsync(server, d => d.GetProperty("attempts").GetInt32() >= 1);
        var details = await (await server.Client.GetAsync($"/v1/deliveries/{delivery.GetProperty("id").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);
        var destination = await (await server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(Said, test.GetProperty("error").GetString());
        Assert.Equal(Said, delivery.GetProperty("lastError").GetString());
        foreach (var said in new[] { test, delivery, details, destination }.Select(j => j.GetRawText()))
        {
            Assert.DoesNotContain("127.0.0.1", said, StringComparison.Ordinal);
            Assert.DoesNotContain("::1", said, StringComparison.Ordinal);
        }
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_literal_address_a_user_typed_is_named_at_save_time()
    {
        await using var server = await ChatportServer.StartAsync();
        await server.PutAccountAsync(208);

        var problem = await (await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "http://10.1.2.3/hook" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("url points at a private address: 10.1.2.3 is a private address (RFC 1918). Set Chatport:Delivery:AllowPrivateTargets to true to allow it.",
            problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task A_slow_destination_does_not_delay_another()
    {
        await using var server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await using var slow = await Receiver.StartAsync();
        await using var fast = await Receiver.StartAsync();
        slow.Respond = async (_, _) =>
        {
            await Task.Delay(3000);
            return 200;
        };
        await server.PutAccountAsync(208);
        await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = slow.Url });
        await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = fast.Url });
        var sample = await File.ReadAllTextAsync(SeedEvents.SamplePath);
        var conversations = string.Join(",", Enumerable.Range(1, 100).Select(i =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(sample)!;
            node["channel"]!["id"] = i;
            return node.ToJsonString();
        }));

        await (await server.PostJsonAsync("/v1/conversations", $"[{conversations}]")).ReadJsonAsync(HttpStatusCode.OK);

        await fast.WaitForAsync(100, TimeSpan.FromSeconds(10));
        Assert.True(slow.Requests.Count < 100, $"the slow receiver has {slow.Requests.Count}");
    }

    [Fact]
    public async Task A_destination_failing_for_five_days_is_disabled()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        await using var server = await ChatportServer.StartAsync(time: time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(500);
        await server.PutAccountAsync(208);
        var id = (await (await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = receiver.Url, retrySchedule = new[] { "0" } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await server.PostJsonAsync("/v1/events", SeedEvents.All(chatId: 1, idPrefix: "a"));
        await WaitForLogAsync(server, d => d.GetProperty("status").GetString() == "failed");

        time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await server.PostJsonAsync("/v1/events", SeedEvents.All(chatId: 2, idPrefix: "b"));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement destination;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "The destination was not disabled.");
            await Task.Delay(20);
            destination = await (await server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        }
        while (destination.GetProperty("enabled").GetBoolean());
        Assert.Contains("5 days", destination.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_exported_in_the_prometheus_format()
    {
        await using var server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await using var receiver = await Receiver.StartAsync();
        await server.PutAccountAsync(208);
        await server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = receiver.Url });
        await server.PostJsonAsync("/v1/events", SeedEvents.All());
        await receiver.WaitForAsync(1);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string metrics;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "No delivery metrics.");
            await Task.Delay(100);
            metrics = await server.Client.GetStringAsync("/metrics");
        }
        while (!metrics.Contains("chatport_delivery_attempts", StringComparison.Ordinal));
        Assert.Contains("outcome=\"succeeded\"", metrics, StringComparison.Ordinal);
        Assert.Contains("chatport_delivery_attempt_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("chatport_delivery_queue_depth", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", metrics, StringComparison.Ordinal);
    }
}
