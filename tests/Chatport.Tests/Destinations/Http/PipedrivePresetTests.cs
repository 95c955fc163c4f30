using System.Text.Json.Nodes;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>pipedrive</c> preset against a loopback fake of the Pipedrive API that keeps persons and notes: the person
/// found by e-mail or made, one note per conversation made once even when the answer to its create is lost, a late
/// rating updating that note, an older version replayed leaving it alone.
/// </summary>
public sealed class PipedrivePresetTests : IAsyncLifetime
{
    private readonly List<JsonObject> _persons = [];
    private readonly List<JsonObject> _notes = [];
    private HttpKindServer _chatport = null!;
    private VendorReceiver _pipedrive = null!;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _pipedrive = await VendorReceiver.StartAsync();
        _pipedrive.Handle = Pipedrive;
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _pipedrive.DisposeAsync();
    }

    private static VendorAnswer Ok(JsonNode? data) => new(200, new JsonObject { ["success"] = true, ["data"] = data }.ToJsonString());

    private VendorAnswer Pipedrive(VendorRequest request)
    {
        if (request.Header("x-api-token") != "pd-token" || request.Query.Contains("api_token", StringComparison.Ordinal))
        {
            return new VendorAnswer(401, """{"success":false,"error":"unauthorized access"}""");
        }
        switch (request.Method, request.Path)
        {
            case ("GET", "/api/v2/persons/search"):
                Assert.Equal(("email", "true"), (request.QueryValue("fields"), request.QueryValue("exact_match")));
                var term = request.QueryValue("term");
                return Ok(new JsonObject
                {
                    ["items"] = new JsonArray([.. _persons.Where(p => p["emails"]!.AsArray().Any(e => (string?)e!["value"] == term))
                        .Select(p => new JsonObject { ["result_score"] = 1, ["item"] = p.DeepClone() })]),
                });
            case ("POST", "/api/v2/persons"):
                var person = JsonNode.Parse(request.Body)!.AsObject();
                person["id"] = 40 + _persons.Count;
                _persons.Add(person);
                return Ok(person.DeepClone());
            case ("GET", "/api/v1/notes"):
                var of = request.QueryValue("person_id");
                var mine = _notes.Where(n => n["person_id"]!.ToString() == of).ToList();
                return Ok(mine.Count == 0 ? null : new JsonArray([.. mine.Select(n => n.DeepClone())]));
            case ("POST", "/api/v1/notes"):
                var note = JsonNode.Parse(request.Body)!.AsObject();
                note["id"] = 600 + _notes.Count;
                _notes.Add(note);
                return _notes.Count == 1 && request.Number <= 4 ? new VendorAnswer(500, """{"success":false}""") : Ok(note.DeepClone());
            case ("PUT", _) when request.Path.StartsWith("/api/v1/notes/", StringComparison.Ordinal):
                var updated = _notes.Single(n => $"/api/v1/notes/{n["id"]}" == request.Path);
                updated["content"] = JsonNode.Parse(request.Body)!["content"]!.DeepClone();
                return Ok(updated.DeepClone());
            default:
                return new VendorAnswer(404, """{"success":false}""");
        }
    }

    [Fact]
    public async Task One_person_and_one_note_through_a_lost_answer_a_late_rating_and_a_replay()
    {
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", preset = "pipedrive", companyDomain = "acme", apiToken = "pd-token", baseUrl = _pipedrive.Origin, retrySchedule = new[] { "0", "0" },
        });
        var id = created.GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        var first = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        Assert.Equal(
            ["GET /api/v2/persons/search", "POST /api/v2/persons", "GET /api/v1/notes", "POST /api/v1/notes", // the note's answer is lost (500)
             "GET /api/v2/persons/search", "GET /api/v1/notes"], // the retry finds the person and the note: nothing more
            _pipedrive.Requests.Select(r => $"{r.Method} {r.Path}"));
        var person = Assert.Single(_persons);
        Assert.Equal("Dusan Kmet", (string?)person["name"]);
        Assert.Equal("dusan@domain.com", (string?)person["emails"]![0]!["value"]);
        var note = Assert.Single(_notes);
        Assert.Equal(40, (int)note["person_id"]!);
        Assert.Contains("<article class=\"chatport-transcript\">", (string?)note["content"], StringComparison.Ordinal);
        Assert.Contains("chatport-208-55039 v1", (string?)note["content"], StringComparison.Ordinal);

        // The late rating updates the same note.
        await _chatport.PostSampleAsync(rating: 3);
        await _chatport.WaitForSucceededAsync(id, 2);
        Assert.Equal("PUT /api/v1/notes/600", $"{_pipedrive.Requests.Last().Method} {_pipedrive.Requests.Last().Path}");
        Assert.Contains("chatport-208-55039 v2", (string?)Assert.Single(_notes)["content"], StringComparison.Ordinal);
        Assert.Contains("rating: 3", (string?)_notes[0]["content"], StringComparison.Ordinal);

        // Version 1 replayed: the note holds a newer one; it stays.
        var before = _pipedrive.Requests.Count;
        await _chatport.ReplayAsync(first.GetProperty("id").GetString()!);
        await _pipedrive.WaitForAsync(r => r.Length == before + 2);
        await _chatport.WaitForDeliveriesAsync(id, items => items.All(i => i.GetProperty("status").GetString() == "succeeded")
            && items.Single(i => i.GetProperty("id").GetString() == first.GetProperty("id").GetString()).GetProperty("attempts").GetInt32() == 3);
        Assert.Equal("GET /api/v1/notes", $"{_pipedrive.Requests.Last().Method} {_pipedrive.Requests.Last().Path}");
        Assert.Contains("v2", (string?)Assert.Single(_notes)["content"], StringComparison.Ordinal);
        Assert.Single(_persons);
    }
}
