using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Storage;

/// <summary>
/// A running node forgets live events older than <c>Chatport:Retention:Period</c> on its own timer (the injected
/// clock): with a period of 10 minutes (30 days by default; the fake clock's periodic timers fire once per elapsed
/// period, so the test keeps to minutes), an event id seen 11 minutes ago is new again, one seen 2 minutes ago is
/// still a duplicate.
/// </summary>
public sealed class RetentionTests
{
    private static string Event(string id, long chatId, DateTimeOffset at) => JsonSerializer.Serialize(new object[]
    {
        new
        {
            id, accountId = 208, chatId, at = at.ToUnixTimeMilliseconds(), type = "message",
            message = new { type = "visitor", from = "visitor:1", content = "Hello" },
        },
    });

    [Fact]
    public async Task An_event_older_than_the_retention_period_is_forgotten_and_a_newer_one_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await ChatportServer.StartAsync(time: time, settings: ["--Chatport:Retention:Period=00:10:00", "--Chatport:Retention:Interval=00:01:00"]);
        await server.PutAccountAsync(208);
        async Task<(int Accepted, int Duplicates)> PostAsync(string id, long chatId)
        {
            var answer = await (await server.PostJsonAsync("/v1/events", Event(id, chatId, time.GetUtcNow()))).ReadJsonAsync(HttpStatusCode.Accepted);
            return (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("duplicates").GetInt32());
        }

        Assert.Equal((1, 0), await PostAsync("e-old", 1));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal((1, 0), await PostAsync("e-recent", 2));
        Assert.Equal((0, 1), await PostAsync("e-old", 3)); // 9 minutes: still remembered
        time.Advance(TimeSpan.FromMinutes(2)); // the retention timer ticks

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await PostAsync("e-old", 4) != (1, 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "The event from 11 minutes ago was never forgotten.");
            await Task.Delay(50);
        }
        Assert.Equal((0, 1), await PostAsync("e-recent", 5)); // 2 minutes old: kept
    }
}
