using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>zendesk</c> preset against a loopback fake of the Zendesk Support API that keeps its tickets: one ticket per
/// conversation by <c>external_id</c>, made once even when the answer to the create is lost, a late rating added as
/// a comment to the same ticket, a replay of an older version sending nothing.
/// </summary>
public sealed class ZendeskPresetTests : IAsyncLifetime
{
    private readonly List<JsonObject> _tickets = [];
    private HttpKindServer _chatport = null!;
    private VendorReceiver _zendesk = null!;
    private bool _down;
    private bool _loseFirstCreate;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _zendesk = await VendorReceiver.StartAsync();
        _zendesk.Handle = Zendesk;
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _zendesk.DisposeAsync();
    }

    /// <summary>The documented endpoints, as Zendesk answers them (503 while down; a create made whose answer is a 500 when asked).</summary>
    private VendorAnswer Zendesk(VendorRequest request)
    {
        if (_down)
        {
            return new VendorAnswer(503, """{"error":"maintenance"}""", RetryAfter: "0");
        }
        if (request.Header("authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("agent@acme.com/token:zd-token")))
        {
            return new VendorAnswer(401, """{"error":"Couldn't authenticate you"}""");
        }
        if (request is { Method: "GET", Path: "/api/v2/tickets.json" })
        {
            var external = request.QueryValue("external_id");
            return new VendorAnswer(200, new JsonObject { ["tickets"] = new JsonArray([.. _tickets.Where(t => (string?)t["external_id"] == external).Select(t => t.DeepClone())]) }.ToJsonString());
        }
        if (request is { Method: "POST", Path: "/api/v2/tickets.json" })
        {
            var ticket = JsonNode.Parse(request.Body)!["ticket"]!.AsObject().DeepClone().AsObject();
            ticket["id"] = 900 + _tickets.Count;
            _tickets.Add(ticket);
            if (_loseFirstCreate)
            {
                _loseFirstCreate = false;
                return new VendorAnswer(500, """{"error":"lost"}""");
            }
            return new VendorAnswer(201, new JsonObject { ["ticket"] = ticket.DeepClone() }.ToJsonString());
        }
        if (request is { Method: "PUT" } && request.Path.StartsWith("/api/v2/tickets/", StringComparison.Ordinal))
        {
            var id = int.Parse(request.Path["/api/v2/tickets/".Length..^".json".Length], System.Globalization.CultureInfo.InvariantCulture);
            var ticket = _tickets.Single(t => (int)t["id"]! == id);
            var update = JsonNode.Parse(request.Body)!["ticket"]!;
            foreach (var tag in update["additional_tags"]!.AsArray())
            {
                ticket["tags"]!.AsArray().Add(tag!.DeepClone());
            }
            return new VendorAnswer(200, new JsonObject { ["ticket"] = ticket.DeepClone() }.ToJsonString());
        }
        return new VendorAnswer(404, """{"error":"InvalidEndpoint"}""");
    }

    [Fact]
    public async Task One_ticket_per_conversation_through_a_lost_answer_a_late_rating_and_a_replay()
    {
        _loseFirstCreate = true;
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", preset = "zendesk", subdomain = "acme", email = "agent@acme.com", token = "zd-token", baseUrl = _zendesk.Origin,
            retrySchedule = new[] { "0", "0", "0" },
        });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("zendesk", "acme", "agent@acme.com", "zd-token"), (created.GetProperty("preset").GetString(), created.GetProperty("subdomain").GetString(),
            created.GetProperty("email").GetString(), created.GetProperty("token").GetString()));
        Assert.Equal(JsonValueKind.Null, (await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("token").ValueKind);

        await _chatport.PostSampleAsync();
        var first = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        // Attempt 1: not found, created, answer lost (500). Attempt 2: found with this version's tag: nothing more.
        Assert.Equal(["GET /api/v2/tickets.json", "POST /api/v2/tickets.json", "GET /api/v2/tickets.json"],
            _zendesk.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal("?external_id=chatport-208-55039", _zendesk.Requests.First().Query);
        var ticket = Assert.Single(_tickets);
        Assert.Equal("Chat with Dusan Kmet (completed)", (string?)ticket["subject"]);
        Assert.Equal(("Dusan Kmet", "dusan@domain.com"), ((string?)ticket["requester"]!["name"], (string?)ticket["requester"]!["email"]));
        Assert.Equal("chatport-208-55039", (string?)ticket["external_id"]);
        Assert.Contains("Dusan Kmet (visitor): Hello", (string?)ticket["comment"]!["body"], StringComparison.Ordinal);
        Assert.False((bool)ticket["comment"]!["public"]!);
        var attempts = await _chatport.AttemptsAsync(first.GetProperty("id").GetString()!);
        Assert.Equal(2, attempts.Length);
        Assert.Contains("POST /api/v2/tickets.json → 500", attempts[0].GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Contains("already holds version 1", attempts[1].GetProperty("response").GetString(), StringComparison.Ordinal);

        // A late rating is version 2: a comment on the same ticket, tagged in the same update.
        await _chatport.PostSampleAsync(rating: 2);
        await _chatport.WaitForSucceededAsync(id, 2);
        var put = _zendesk.Requests.Last();
        Assert.Equal(("PUT", "/api/v2/tickets/900.json"), (put.Method, put.Path));
        Assert.Contains("version 2", put.Json.GetProperty("ticket").GetProperty("comment").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains("rating: 2", put.Json.GetProperty("ticket").GetProperty("comment").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Single(_tickets);

        // Version 1 replayed: found, already there; only the look-up is sent.
        var before = _zendesk.Requests.Count;
        await _chatport.ReplayAsync(first.GetProperty("id").GetString()!);
        await _zendesk.WaitForAsync(r => r.Length == before + 1);
        await _chatport.WaitForDeliveriesAsync(id, items => items.All(i => i.GetProperty("status").GetString() == "succeeded") && items.Sum(i => i.GetProperty("attempts").GetInt32()) == 4);
        Assert.Equal("GET", _zendesk.Requests.Last().Method);
        Assert.Single(_tickets);
    }

    [Fact]
    public async Task Versions_that_queued_while_zendesk_was_down_make_one_ticket_when_sent_together()
    {
        _down = true;
        var id = (await _chatport.CreateAsync(new
        {
            kind = "http", preset = "zendesk", subdomain = "acme", email = "agent@acme.com", token = "zd-token", baseUrl = _zendesk.Origin, retrySchedule = new[] { "0" },
        })).GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        await _chatport.PostSampleAsync(rating: 2);
        await _chatport.WaitForDeliveriesAsync(id, items => items.Length == 2 && items.All(i => i.GetProperty("status").GetString() == "failed"));

        // Back up: both versions replayed at once; one runs after the other, so the second finds the first's ticket.
        _down = false;
        await (await _chatport.Server.PostJsonAsync($"/v1/accounts/208/destinations/{id}/replay", """{"status":"failed"}""")).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        await _chatport.WaitForSucceededAsync(id, 2);
        var ticket = Assert.Single(_tickets);
        Assert.Contains("chatport-v2", ticket["tags"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public async Task The_test_call_shows_the_requests_and_their_statuses()
    {
        var created = await _chatport.CreateAsync(new { kind = "http", preset = "zendesk", subdomain = "acme", email = "agent@acme.com", token = "wrong", baseUrl = _zendesk.Origin });
        var test = await _chatport.TestAsync(created.GetProperty("id").GetString()!);
        Assert.False(test.GetProperty("succeeded").GetBoolean());
        Assert.Equal(401, test.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("GET /api/v2/tickets.json → 401", test.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", test.ToString(), StringComparison.Ordinal);
    }
}
