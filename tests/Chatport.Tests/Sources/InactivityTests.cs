using System.Net;
using System.Text.Json.Nodes;
using Chatport.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Sources;

/// <summary>The inactivity timeout, on a fake clock: no sleeps.</summary>
public sealed class InactivityTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        // The background sweeper ticks hourly here, so these tests drive RunOnceAsync themselves; the last test
        // advances the clock past an hour to see the sweeper's own timer fire.
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Tracking:SweepInterval=01:00:00");
        await _server.PutAccountAsync(208, inactivityTimeoutSeconds: 60);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<int> SweepAsync() => _server.Services.GetRequiredService<InactivityTimeouts>().RunOnceAsync();

    private Task<HttpResponseMessage> VisitorSaysAsync(string id, long chatId, long at) => _server.PostJsonAsync("/v1/events",
        $$$"""[{"id":"{{{id}}}","accountId":208,"chatId":{{{chatId}}},"at":{{{at}}},"type":"message","message":{"type":"visitor","from":"visitor:v","content":"anyone there?"}}]""");

    [Fact]
    public async Task A_chat_with_no_event_for_the_timeout_finishes_as_dropped_and_missed()
    {
        await VisitorSaysAsync("q1", 1, 1_000);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await SweepAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/1")).StatusCode);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SweepAsync());

        var channel = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/208/conversations/1"))!["channel"]!;
        Assert.True((bool)channel["isDropped"]!);
        Assert.True((bool)channel["isMissed"]!);
        Assert.False((bool)channel["isCompleted"]!);
        Assert.Equal(0, await SweepAsync()); // exactly once
    }

    [Fact]
    public async Task The_timeout_counts_from_the_arrival_of_the_last_event()
    {
        await VisitorSaysAsync("q1", 2, 1_000);
        _time.Advance(TimeSpan.FromSeconds(50));
        await VisitorSaysAsync("q2", 2, 2_000);
        _time.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal(0, await SweepAsync());

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await SweepAsync());
    }

    [Fact]
    public async Task A_chat_with_no_message_is_not_exported()
    {
        await _server.PostJsonAsync("/v1/events", """[{"id":"p","accountId":208,"chatId":3,"at":1,"type":"page","page":{"url":"http://x","title":"X"}}]""");
        _time.Advance(TimeSpan.FromMinutes(2));

        await SweepAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/3")).StatusCode);
    }

    [Fact]
    public async Task The_background_sweeper_runs_on_the_injected_clock()
    {
        await VisitorSaysAsync("q1", 4, 1_000);

        _time.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow.AddSeconds(10); // a bound on waiting for the sweeper's thread, not a timing assertion
        while ((await _server.Client.GetAsync("/v1/accounts/208/conversations/4")).StatusCode == HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweeper did not finish the chat after the fake clock passed its timeout.");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }
}
