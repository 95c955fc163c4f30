using System.Text.Json;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>slack</c> and <c>teams</c> presets against loopback stand-ins for an incoming webhook and a Workflows
/// webhook: the documented message shapes, Slack's text limits, the webhook URL kept secret (masked, never logged),
/// a retry after a 500, and a late rating posted as an update.
/// </summary>
public sealed class ChatPresetTests : IAsyncLifetime
{
    private HttpKindServer _chatport = null!;
    private VendorReceiver _hook = null!;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _hook = await VendorReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _hook.DisposeAsync();
    }

    [Fact]
    public async Task Slack_gets_blocks_within_its_limits_and_the_webhook_url_stays_secret()
    {
        _hook.Handle = r => r.Number == 1 ? new VendorAnswer(500, "internal_error") : new VendorAnswer(200, "ok");
        var url = _hook.Origin + "/services/T000/B000/s3cr3tPath";
        var created = await _chatport.CreateAsync(new { kind = "http", preset = "slack", url, retrySchedule = new[] { "0", "0" } });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(url, created.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, (await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("url").ValueKind);

        var long_ = new string('x', 4000) + " <tail> & more";
        await _chatport.PostSampleAsync(change: json => json.Replace("\"content\":\"Hello\"", $"\"content\":\"{long_}\"", StringComparison.Ordinal));
        var delivery = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        var requests = await _hook.WaitForAsync(r => r.Length == 2);
        Assert.All(requests, r => Assert.Equal(("POST", "/services/T000/B000/s3cr3tPath"), (r.Method, r.Path)));
        var message = requests[1].Json;
        Assert.Equal("Chat with Dusan Kmet (completed)", message.GetProperty("text").GetString());
        var blocks = message.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.True(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.Contains("dusan@domain.com", blocks[1].GetProperty("fields")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.All(blocks[1].GetProperty("fields").EnumerateArray(), f => Assert.Equal("mrkdwn", f.GetProperty("type").GetString()));
        var transcript = blocks[2].GetProperty("text").GetProperty("text").GetString()!;
        Assert.True(transcript.Length <= 3000, $"{transcript.Length} characters");
        Assert.StartsWith("```", transcript, StringComparison.Ordinal);
        Assert.EndsWith("```", transcript, StringComparison.Ordinal);
        Assert.Contains("cut to Slack's limit", transcript, StringComparison.Ordinal);

        var attempts = await _chatport.AttemptsAsync(delivery.GetProperty("id").GetString()!);
        Assert.Equal([500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.All(attempts, a => Assert.DoesNotContain("s3cr3tPath", a.ToString(), StringComparison.Ordinal));
        Assert.StartsWith("POST the Slack incoming webhook → 200", attempts[1].GetProperty("response").GetString(), StringComparison.Ordinal);

        // A late rating: posted again, as an update (Slack's webhooks cannot edit a message).
        await _chatport.PostSampleAsync(rating: 2);
        await _chatport.WaitForSucceededAsync(id, 2);
        Assert.Contains("updated (version 2)", _hook.Requests.Last().Json.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teams_gets_an_adaptive_card_message()
    {
        _hook.Handle = r => r.Number == 1 ? new VendorAnswer(503, "{}", RetryAfter: "0") : new VendorAnswer(202, "");
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", preset = "teams", url = _hook.Origin + "/workflows/abc/triggers/manual/paths/invoke?sig=s1gnature", retrySchedule = new[] { "0", "0" },
        });
        var id = created.GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        var delivery = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        var request = (await _hook.WaitForAsync(r => r.Length == 2))[1];
        Assert.Equal(("POST", "?sig=s1gnature"), (request.Method, request.Query));
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        var message = request.Json;
        Assert.Equal("message", message.GetProperty("type").GetString());
        var attachment = message.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        var body = card.GetProperty("body").EnumerateArray().ToArray();
        Assert.Equal(["TextBlock", "FactSet", "TextBlock", "TextBlock"], body.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Chat with Dusan Kmet (completed)", body[0].GetProperty("text").GetString());
        Assert.Contains(body[1].GetProperty("facts").EnumerateArray(), f => f.GetProperty("title").GetString() == "Rating" && f.GetProperty("value").GetString() == "5");
        Assert.Contains("Dusan Kmet (visitor): Hello", body[2].GetProperty("text").GetString(), StringComparison.Ordinal);
        var attempts = await _chatport.AttemptsAsync(delivery.GetProperty("id").GetString()!);
        Assert.Equal([503, 202], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.All(attempts, a => Assert.DoesNotContain("s1gnature", a.ToString(), StringComparison.Ordinal));

        // A late rating: another card, saying it is an update.
        await _chatport.PostSampleAsync(rating: 2);
        await _chatport.WaitForSucceededAsync(id, 2);
        var update = _hook.Requests.Last().Json.GetProperty("attachments")[0].GetProperty("content").GetProperty("body");
        Assert.Equal("Chat with Dusan Kmet (completed), updated (version 2)", update[0].GetProperty("text").GetString());

        var test = await _chatport.TestAsync(id);
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.ToString());
        Assert.StartsWith("POST the Teams Workflows webhook → 202", test.GetProperty("response").GetString(), StringComparison.Ordinal);
    }
}
