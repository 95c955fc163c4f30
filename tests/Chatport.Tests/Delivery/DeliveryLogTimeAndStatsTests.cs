using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Delivery;

/// <summary>The delivery log's <c>from</c>/<c>to</c> (on when a delivery was created) and <c>GET …/stats</c>, through a real server.</summary>
public sealed class DeliveryLogTimeAndStatsTests : IAsyncLifetime
{
    /// <summary>A minute after the seed conversation's end, so that it ended within the live view's windows.</summary>
    private static readonly DateTimeOffset SeedEnd = DateTimeOffset.FromUnixTimeMilliseconds(1427470476687);

    private readonly FakeTimeProvider _time = new(SeedEnd.AddMinutes(1));
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

    private async Task<string> AddWebhookAsync()
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = _receiver.Url, name = "CRM" })).ReadJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private async Task<string[]> IdsAsync(string query) =>
        [.. (await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries?{query}")).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task The_delivery_log_filters_by_when_deliveries_were_created()
    {
        var destination = await AddWebhookAsync();
        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var delivery = (await _server.WaitForDeliveriesAsync(208, destination, items => items.Length == 1)).Single();
        var id = delivery.GetProperty("id").GetString()!;
        var created = delivery.GetProperty("createdAt").GetDateTimeOffset().ToUnixTimeMilliseconds();

        Assert.Equal([id], await IdsAsync($"from={created}"));
        Assert.Empty(await IdsAsync($"from={created + 1}"));
        Assert.Empty(await IdsAsync($"to={created}")); // to is exclusive
        Assert.Equal([id], await IdsAsync($"to={created + 1}&destination={destination}"));
        Assert.Equal([id], await IdsAsync($"from={Uri.EscapeDataString(_time.GetUtcNow().AddMinutes(-1).ToString("O"))}&to=2100-01-01T00:00"));
        Assert.Empty(await IdsAsync("to=2000-01-01T00:00:00Z"));

        var wrong = await (await _server.Client.GetAsync("/v1/accounts/208/deliveries?from=yesterday&to=5&status=gone")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("from must be epoch milliseconds or an ISO 8601 time.", wrong.GetProperty("errors").GetProperty("from")[0].GetString());
        Assert.True(wrong.GetProperty("errors").TryGetProperty("status", out _));
        var backwards = await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries?from={created}&to={created}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("to must be later than from.", backwards.GetProperty("errors").GetProperty("to")[0].GetString());
    }

    [Fact]
    public async Task Stats_count_conversations_ended_deliveries_settled_and_the_queue_per_destination()
    {
        var empty = await (await _server.Client.GetAsync("/v1/accounts/208/stats")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, 0, 0), (empty.GetProperty("conversationsLast5Minutes").GetInt32(), empty.GetProperty("pending").GetInt32(),
            empty.GetProperty("destinations").GetArrayLength()));

        var destination = await AddWebhookAsync();
        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        await _server.WaitForDeliveriesAsync(208, destination, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded");

        var stats = await (await _server.Client.GetAsync("/v1/accounts/208/stats")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(_time.GetUtcNow(), stats.GetProperty("readAt").GetDateTimeOffset());
        Assert.Equal(300, stats.GetProperty("windowSeconds").GetInt32());
        Assert.Equal((1, 1), (stats.GetProperty("conversationsLast5Minutes").GetInt32(), stats.GetProperty("conversationsLast60Minutes").GetInt32()));
        Assert.Equal((1, 0, 0), (stats.GetProperty("succeeded").GetInt32(), stats.GetProperty("failed").GetInt32(), stats.GetProperty("pending").GetInt32()));
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("oldestPendingAgeSeconds").ValueKind);
        var row = Assert.Single(stats.GetProperty("destinations").EnumerateArray());
        Assert.Equal((destination, "CRM", "webhook", 1, 0), (row.GetProperty("id").GetString(), row.GetProperty("name").GetString(),
            row.GetProperty("kind").GetString(), row.GetProperty("succeeded").GetInt32(), row.GetProperty("pending").GetInt32()));
        Assert.Equal(0.0, row.GetProperty("perSecond").GetDouble()); // 1 in 300 s, rounded to 2 places

        _time.Advance(TimeSpan.FromMinutes(6)); // the delivery and the conversation leave the 5-minute window; the conversation stays in the hour
        var later = await (await _server.Client.GetAsync("/v1/accounts/208/stats")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, 1, 0), (later.GetProperty("conversationsLast5Minutes").GetInt32(), later.GetProperty("conversationsLast60Minutes").GetInt32(),
            later.GetProperty("succeeded").GetInt32()));

        await (await _server.Client.GetAsync("/v1/accounts/999/stats")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
