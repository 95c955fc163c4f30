using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// HubSpot (a private app's bearer token): the visitor's contact upserted by e-mail
/// (<c>POST /crm/v3/objects/contacts/batch/upsert</c>, <c>idProperty</c> email), then one note per conversation on
/// it: the contact's notes are searched (<c>POST /crm/v3/objects/notes/search</c>, filtered by
/// <c>associations.contact</c>) for the one carrying the conversation's key, which is updated to a newer version
/// (<c>PATCH /crm/v3/objects/notes/{id}</c>), left alone for the same or an older one, or made
/// (<c>POST /crm/v3/objects/notes</c>: hs_timestamp, hs_note_body, associated with the contact, type 202). HubSpot's
/// search index lags writes by a few seconds, so a retry within them may not see a note just made and make a second.
/// A conversation without a visitor e-mail has no contact to upsert: it is not sent (delivered, said so in the log).
/// </summary>
internal sealed class HubSpotPreset : HttpPreset
{
    public override string Name => "hubspot";

    public override IReadOnlyList<string> Credentials { get; } = ["token"];

    public override string Origin(HttpConfig config, HttpSecrets secrets) => "https://api.hubapi.com";

    public override void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets) =>
        request.Headers.Authorization = new("Bearer", secrets.Token);

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        if (chat.VisitorEmail is not { } email)
        {
            steps.Note("the conversation has no visitor e-mail to upsert a HubSpot contact by; nothing sent");
            return;
        }
        var properties = new JsonObject { ["email"] = email };
        if (chat.VisitorName is { } name)
        {
            var parts = name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            properties["firstname"] = parts[0];
            if (parts.Length > 1)
            {
                properties["lastname"] = parts[1];
            }
        }
        var upserted = await steps.JsonAsync(HttpMethod.Post, At(origin, "/crm/v3/objects/contacts/batch/upsert"), new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject { ["idProperty"] = "email", ["id"] = email, ["properties"] = properties }),
        });
        var contactId = First(upserted) ?? throw steps.Unexpected("the contact's id is missing");

        var found = await steps.JsonAsync(HttpMethod.Post, At(origin, "/crm/v3/objects/notes/search"), new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject
            {
                ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "associations.contact", ["operator"] = "EQ", ["value"] = contactId }),
            }),
            ["properties"] = new JsonArray("hs_note_body"),
            ["limit"] = 100,
        });
        var body = $"<p><b>{WebUtility.HtmlEncode(chat.Subject)}</b></p>{chat.Html}<p>{WebUtility.HtmlEncode(chat.Marker)}</p>";
        var note = Results(found).FirstOrDefault(n => chat.VersionIn(NoteBody(n)) is not null);
        if (note.ValueKind != JsonValueKind.Object)
        {
            await steps.JsonAsync(HttpMethod.Post, At(origin, "/crm/v3/objects/notes"), new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["hs_timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(chat.StartedAtMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["hs_note_body"] = body,
                },
                ["associations"] = new JsonArray(new JsonObject
                {
                    ["to"] = new JsonObject { ["id"] = contactId },
                    ["types"] = new JsonArray(new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = 202 }),
                }),
            });
            return;
        }
        var noteId = note.GetProperty("id").GetString();
        if (chat.VersionIn(NoteBody(note)) >= chat.Delivery.Version)
        {
            steps.Note($"note {noteId} already holds version {chat.Delivery.Version} or a newer one; nothing sent");
            return;
        }
        await steps.JsonAsync(HttpMethod.Patch, At(origin, $"/crm/v3/objects/notes/{Uri.EscapeDataString(noteId!)}"),
            new JsonObject { ["properties"] = new JsonObject { ["hs_note_body"] = body } });
    }

    private static IEnumerable<JsonElement> Results(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            : [];

    private static string? First(JsonElement answer) => Results(answer).Select(r => r.GetProperty("id").GetString()).FirstOrDefault();

    private static string? NoteBody(JsonElement note) =>
        note.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("hs_note_body", out var body) && body.ValueKind == JsonValueKind.String ? body.GetString() : null;
}
