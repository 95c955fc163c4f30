using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// Pipedrive: the visitor as a person, found by e-mail (<c>GET /api/v2/persons/search?term=…&amp;fields=email&amp;exact_match=true</c>)
/// or made (<c>POST /api/v2/persons</c>), and one note per conversation on them: the person's notes are listed
/// (<c>GET /api/v1/notes?person_id=…</c>) and the one carrying the conversation's key is updated to a newer version
/// (<c>PUT /api/v1/notes/{id}</c>), left alone for the same or an older one, or made (<c>POST /api/v1/notes</c> with
/// person_id and the HTML transcript). Auth: the <c>x-api-token</c> header. A conversation without a visitor e-mail
/// has no person to be found again by: it is not sent (delivered, said so in the log).
/// </summary>
internal sealed class PipedrivePreset : HttpPreset
{
    public override string Name => "pipedrive";

    public override IReadOnlyList<string> Credentials { get; } = ["companyDomain", "apiToken"];

    public override string Origin(HttpConfig config, HttpSecrets secrets) => $"https://{config.CompanyDomain}.pipedrive.com";

    public override string? CheckCredential(string field, string value) => field == "companyDomain" ? CheckLabel(field, value) : null;

    public override void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets) =>
        request.Headers.TryAddWithoutValidation("x-api-token", secrets.ApiToken);

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        if (chat.VisitorEmail is not { } email)
        {
            steps.Note("the conversation has no visitor e-mail to find a Pipedrive person by; nothing sent");
            return;
        }
        var found = await steps.JsonAsync(HttpMethod.Get, At(origin, $"/api/v2/persons/search?term={Uri.EscapeDataString(email)}&fields=email&exact_match=true"), null);
        long personId;
        if (Data(found) is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            && items.EnumerateArray().Select(i => i.TryGetProperty("item", out var item) ? item : default).FirstOrDefault(IdOf) is { ValueKind: JsonValueKind.Object } person)
        {
            personId = person.GetProperty("id").GetInt64();
        }
        else
        {
            var created = await steps.JsonAsync(HttpMethod.Post, At(origin, "/api/v2/persons"), new JsonObject
            {
                ["name"] = chat.VisitorName ?? email,
                ["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["primary"] = true, ["label"] = "work" }),
            });
            personId = Data(created) is { ValueKind: JsonValueKind.Object } made && IdOf(made) ? made.GetProperty("id").GetInt64() : throw steps.Unexpected("the new person's id is missing");
        }

        var notes = await steps.JsonAsync(HttpMethod.Get, At(origin, $"/api/v1/notes?person_id={personId}&limit=500"), null);
        var note = Data(notes) is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().FirstOrDefault(n => IdOf(n) && chat.VersionIn(n.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null) is not null)
            : default;
        var content = $"<p><b>{WebUtility.HtmlEncode(chat.Subject)}</b></p>{chat.Html}<p>{WebUtility.HtmlEncode(chat.Marker)}</p>";
        if (note.ValueKind != JsonValueKind.Object)
        {
            await steps.JsonAsync(HttpMethod.Post, At(origin, "/api/v1/notes"), new JsonObject { ["content"] = content, ["person_id"] = personId });
            return;
        }
        var noteId = note.GetProperty("id").GetInt64();
        if (chat.VersionIn(note.GetProperty("content").GetString()) >= chat.Delivery.Version)
        {
            steps.Note($"note {noteId} already holds version {chat.Delivery.Version} or a newer one; nothing sent");
            return;
        }
        await steps.JsonAsync(HttpMethod.Put, At(origin, $"/api/v1/notes/{noteId}"), new JsonObject { ["content"] = content });
    }

    private static JsonElement Data(JsonElement answer) => answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("data", out var data) ? data : default;

    private static bool IdOf(JsonElement item) => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number;
}
