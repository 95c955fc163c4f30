using System.Text.Json.Nodes;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>hubspot</c> preset against a loopback fake of the HubSpot CRM v3 API that keeps contacts and notes: the
/// contact upserted by e-mail, one note associated with it (type 202), a 429's Retry-After honoured, a late rating
/// updating the note rather than adding one, and a conversation without an e-mail not sent.
/// </summary>
public sealed class HubSpotPresetTests : IAsyncLifetime
{
    private readonly Dictionary<string, JsonObject> _contacts = [];
    private readonly List<JsonObject> _notes = [];
    private HttpKindServer _chatport = null!;
    private VendorReceiver _hubspot = null!;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _hubspot = await VendorReceiver.StartAsync();
        _hubspot.Handle = HubSpot;
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _hubspot.DisposeAsync();
    }

    private VendorAnswer HubSpot(VendorRequest request)
    {
        if (request.Header("authorization") != "Bearer pat-eu1-token")
        {
            return new VendorAnswer(401, """{"status":"error","category":"INVALID_AUTHENTICATION"}""");
        }
        if (request.Number == 1)
        {
            return new VendorAnswer(429, """{"status":"error","category":"RATE_LIMITS"}""", RetryAfter: "0");
        }
        switch (request.Method, request.Path)
        {
            case ("POST", "/crm/v3/objects/contacts/batch/upsert"):
                var input = JsonNode.Parse(request.Body)!["inputs"]![0]!;
                Assert.Equal("email", (string?)input["idProperty"]);
                var email = (string)input["id"]!;
                var isNew = !_contacts.ContainsKey(email);
                var contact = _contacts.TryGetValue(email, out var known) ? known : _contacts[email] = new JsonObject { ["id"] = $"{500 + _contacts.Count}" };
                contact["properties"] = input["properties"]!.DeepClone();
                return new VendorAnswer(200, new JsonObject
                {
                    ["status"] = "COMPLETE",
                    ["results"] = new JsonArray(new JsonObject { ["id"] = contact["id"]!.DeepClone(), ["properties"] = contact["properties"]!.DeepClone(), ["new"] = isNew }),
                }.ToJsonString());
            case ("POST", "/crm/v3/objects/notes/search"):
                var filter = JsonNode.Parse(request.Body)!["filterGroups"]![0]!["filters"]![0]!;
                Assert.Equal(("associations.contact", "EQ"), ((string?)filter["propertyName"], (string?)filter["operator"]));
                var found = _notes.Where(n => (string?)n["contact"] == (string?)filter["value"]).Select(n => new JsonObject
                {
                    ["id"] = n["id"]!.DeepClone(),
                    ["properties"] = new JsonObject { ["hs_note_body"] = n["properties"]!["hs_note_body"]!.DeepClone() },
                }).ToArray();
                return new VendorAnswer(200, new JsonObject { ["total"] = found.Length, ["results"] = new JsonArray(found) }.ToJsonString());
            case ("POST", "/crm/v3/objects/notes"):
                var note = JsonNode.Parse(request.Body)!.AsObject();
                note["id"] = $"{9000 + _notes.Count}";
                note["contact"] = note["associations"]![0]!["to"]!["id"]!.DeepClone();
                _notes.Add(note);
                return new VendorAnswer(201, new JsonObject { ["id"] = note["id"]!.DeepClone() }.ToJsonString());
            case ("PATCH", _) when request.Path.StartsWith("/crm/v3/objects/notes/", StringComparison.Ordinal):
                var updated = _notes.Single(n => $"/crm/v3/objects/notes/{n["id"]}" == request.Path);
                updated["properties"]!["hs_note_body"] = JsonNode.Parse(request.Body)!["properties"]!["hs_note_body"]!.DeepClone();
                return new VendorAnswer(200, new JsonObject { ["id"] = updated["id"]!.DeepClone() }.ToJsonString());
            default:
                return new VendorAnswer(404, "{}");
        }
    }

    private async Task<string> CreateAsync() =>
        (await _chatport.CreateAsync(new { kind = "http", preset = "hubspot", token = "pat-eu1-token", baseUrl = _hubspot.Origin, retrySchedule = new[] { "0", "0" } }))
        .GetProperty("id").GetString()!;

    [Fact]
    public async Task A_contact_upserted_by_email_and_one_note_on_it_that_a_late_rating_updates()
    {
        var id = await CreateAsync();
        await _chatport.PostSampleAsync();
        var first = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        var attempts = await _chatport.AttemptsAsync(first.GetProperty("id").GetString()!);
        Assert.Equal([429, 201], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(("Dusan", "Kmet"), ((string?)_contacts["dusan@domain.com"]["properties"]!["firstname"], (string?)_contacts["dusan@domain.com"]["properties"]!["lastname"]));
        var note = Assert.Single(_notes);
        Assert.Equal("2015-03-27T15:33:59.703Z", (string?)note["properties"]!["hs_timestamp"]);
        Assert.Contains("<article class=\"chatport-transcript\">", (string?)note["properties"]!["hs_note_body"], StringComparison.Ordinal);
        var association = note["associations"]![0]!;
        Assert.Equal("500", (string?)association["to"]!["id"]);
        Assert.Equal(("HUBSPOT_DEFINED", 202), ((string?)association["types"]![0]!["associationCategory"], (int)association["types"]![0]!["associationTypeId"]!));

        await _chatport.PostSampleAsync(rating: 4);
        await _chatport.WaitForSucceededAsync(id, 2);
        Assert.Single(_contacts);
        Assert.Contains("chatport-208-55039 v2", (string?)Assert.Single(_notes)["properties"]!["hs_note_body"], StringComparison.Ordinal);
        Assert.Equal("PATCH /crm/v3/objects/notes/9000", $"{_hubspot.Requests.Last().Method} {_hubspot.Requests.Last().Path}");
    }

    [Fact]
    public async Task A_conversation_without_a_visitor_email_is_not_sent_and_the_log_says_why()
    {
        var id = await CreateAsync();
        await _chatport.PostSampleAsync(change: json => json.Replace("\"email\":\"dusan@domain.com\"", "\"email\":null", StringComparison.Ordinal));
        var delivery = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        Assert.Empty(_hubspot.Requests);
        Assert.Contains("no visitor e-mail", (await _chatport.AttemptsAsync(delivery.GetProperty("id").GetString()!))[0].GetProperty("response").GetString(), StringComparison.Ordinal);
    }
}
