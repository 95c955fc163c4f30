using System.Text;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>freshdesk</c> preset against a loopback fake of the Freshdesk API v2 that keeps its tickets: a helpdesk
/// that is down gets the conversation once it is back (a replay), as one ticket with the documented required fields;
/// a late rating is a private note on it; a replay of the late rating sends nothing new.
/// </summary>
public sealed class FreshdeskPresetTests : IAsyncLifetime
{
    private readonly List<JsonObject> _tickets = [];
    private readonly List<(long Ticket, JsonObject Note)> _notes = [];
    private HttpKindServer _chatport = null!;
    private VendorReceiver _freshdesk = null!;
    private bool _down = true;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _freshdesk = await VendorReceiver.StartAsync();
        _freshdesk.Handle = Freshdesk;
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _freshdesk.DisposeAsync();
    }

    private VendorAnswer Freshdesk(VendorRequest request)
    {
        if (_down)
        {
            return new VendorAnswer(503, """{"message":"maintenance"}""");
        }
        if (request.Header("authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("fd-key:X")))
        {
            return new VendorAnswer(401, """{"code":"invalid_credentials"}""");
        }
        if (request is { Method: "GET", Path: "/api/v2/tickets" })
        {
            Assert.NotNull(request.QueryValue("updated_since"));
            var email = request.QueryValue("email");
            return new VendorAnswer(200, new JsonArray([.. _tickets.Where(t => (string?)t["email"] == email).Select(t => t.DeepClone())]).ToJsonString());
        }
        if (request is { Method: "POST", Path: "/api/v2/tickets" })
        {
            var ticket = JsonNode.Parse(request.Body)!.AsObject();
            ticket["id"] = 70 + _tickets.Count;
            _tickets.Add(ticket);
            return new VendorAnswer(201, ticket.ToJsonString());
        }
        if (request is { Method: "POST" } && request.Path.EndsWith("/notes", StringComparison.Ordinal))
        {
            _notes.Add((long.Parse(request.Path.Split('/')[4], System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(request.Body)!.AsObject()));
            return new VendorAnswer(201, "{\"id\":1}");
        }
        if (request is { Method: "PUT" } && request.Path.StartsWith("/api/v2/tickets/", StringComparison.Ordinal))
        {
            var ticket = _tickets.Single(t => $"/api/v2/tickets/{t["id"]}" == request.Path);
            ticket["tags"] = JsonNode.Parse(request.Body)!["tags"]!.DeepClone();
            return new VendorAnswer(200, ticket.ToJsonString());
        }
        return new VendorAnswer(404, "{}");
    }

    [Fact]
    public async Task A_helpdesk_that_is_down_gets_its_ticket_later_and_a_late_rating_is_a_note_on_it()
    {
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", preset = "freshdesk", domain = "acme", apiKey = "fd-key", baseUrl = _freshdesk.Origin, retrySchedule = new[] { "0", "0" },
        });
        var id = created.GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        var failed = (await _chatport.WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        var deliveryId = failed.GetProperty("id").GetString()!;
        Assert.All(await _chatport.AttemptsAsync(deliveryId), a => Assert.Equal(503, a.GetProperty("statusCode").GetInt32()));
        Assert.Empty(_tickets);

        // Back up: the dead letter replayed makes the ticket; nothing was lost.
        _down = false;
        await _chatport.ReplayAsync(deliveryId);
        await _chatport.WaitForSucceededAsync(id, 1);
        var ticket = Assert.Single(_tickets);
        Assert.Equal("dusan@domain.com", (string?)ticket["email"]);
        Assert.Equal("Dusan Kmet", (string?)ticket["name"]);
        Assert.Equal("Chat with Dusan Kmet (completed)", (string?)ticket["subject"]);
        Assert.StartsWith("<article class=\"chatport-transcript\">", (string?)ticket["description"], StringComparison.Ordinal);
        Assert.Equal((2, 1, 7), ((int)ticket["status"]!, (int)ticket["priority"]!, (int)ticket["source"]!));
        Assert.Equal(["chatport", "chatport-208-55039", "chatport-v1"], ticket["tags"]!.AsArray().Select(t => (string?)t));

        // The late rating: a private note on the same ticket, and its version's tag.
        await _chatport.PostSampleAsync(rating: 1);
        await _chatport.WaitForSucceededAsync(id, 2);
        Assert.Single(_tickets);
        var (noted, note) = Assert.Single(_notes);
        Assert.Equal(70, noted);
        Assert.True((bool)note["private"]!);
        Assert.Contains("version 2", (string?)note["body"], StringComparison.Ordinal);
        Assert.Contains("chatport-v2", ticket["tags"]!.AsArray().Select(t => (string?)t));

        // Version 2 replayed: the ticket holds it; only the look-up goes out.
        var latest = (await _chatport.WaitForSucceededAsync(id, 2)).Single(i => i.GetProperty("version").GetInt32() == 2).GetProperty("id").GetString()!;
        var before = _freshdesk.Requests.Count;
        await _chatport.ReplayAsync(latest);
        await _freshdesk.WaitForAsync(r => r.Length == before + 1);
        await _chatport.WaitForDeliveriesAsync(id, items => items.All(i => i.GetProperty("status").GetString() == "succeeded")
            && items.Single(i => i.GetProperty("id").GetString() == latest).GetProperty("attempts").GetInt32() == 2);
        Assert.Equal("GET /api/v2/tickets", $"{_freshdesk.Requests.Last().Method} {_freshdesk.Requests.Last().Path}");
        Assert.Single(_notes);
    }
}
