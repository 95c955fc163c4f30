using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// Freshdesk: one ticket per conversation, tagged with the conversation's key (<c>chatport-{accountId}-{chatId}</c>)
/// and version (<c>chatport-v{version}</c>). The requester's tickets are listed first
/// (<c>GET /api/v2/tickets?email=…&amp;updated_since=…</c>; without an e-mail, by <c>unique_external_id</c>); none
/// with the key: a ticket is made (<c>POST /api/v2/tickets</c>: email, subject, the HTML transcript as description,
/// status 2 open, priority 1 low, source 7 chat, the tags); found with an older version's tag: the new transcript is
/// added as a private note (<c>POST /api/v2/tickets/{id}/notes</c>) and the tag set (<c>PUT /api/v2/tickets/{id}</c>);
/// found with this version's tag or a newer one: nothing is sent. Basic auth <c>{apiKey}:X</c>.
/// </summary>
internal sealed class FreshdeskPreset : HttpPreset
{
    public override string Name => "freshdesk";

    public override IReadOnlyList<string> Credentials { get; } = ["domain", "apiKey"];

    public override string Origin(HttpConfig config, HttpSecrets secrets) => $"https://{config.Domain}.freshdesk.com";

    public override string? CheckCredential(string field, string value) => field == "domain" ? CheckLabel(field, value) : null;

    public override void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets) => Basic(request, secrets.ApiKey ?? "", "X");

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        var tag = VersionTag(chat);
        var requester = chat.VisitorEmail is { } email ? ("email", email) : ("unique_external_id", VisitorKey(chat));
        // Tickets the requester touched since the chat began: the one made for this chat is among them.
        var since = DateTimeOffset.FromUnixTimeMilliseconds(chat.StartedAtMs).AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var found = await steps.JsonAsync(HttpMethod.Get, At(origin,
            $"/api/v2/tickets?{requester.Item1}={Uri.EscapeDataString(requester.Item2)}&updated_since={since}&per_page=100"), null);
        var ticket = found.ValueKind == JsonValueKind.Array ? found.EnumerateArray().FirstOrDefault(t => HasTag(t, chat.Key)) : default;
        if (ticket.ValueKind != JsonValueKind.Object)
        {
            var made = new JsonObject
            {
                [requester.Item1] = requester.Item2,
                ["subject"] = chat.Subject,
                ["description"] = $"{chat.Html}<p>{WebUtility.HtmlEncode(chat.Marker)}</p>",
                ["status"] = 2,
                ["priority"] = 1,
                ["source"] = 7,
                ["tags"] = new JsonArray("chatport", chat.Key, tag),
            };
            if (chat.VisitorName is { } name)
            {
                made["name"] = name;
            }
            var created = await steps.JsonAsync(HttpMethod.Post, At(origin, "/api/v2/tickets"), made);
            if (!created.TryGetProperty("id", out _))
            {
                throw steps.Unexpected("the new ticket's id is missing");
            }
            return;
        }
        if (!ticket.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number)
        {
            throw steps.Unexpected("the ticket found has no id");
        }
        var ticketId = id.GetInt64();
        if (NewestTagged(ticket) >= chat.Delivery.Version)
        {
            steps.Note($"ticket {ticketId} already holds version {chat.Delivery.Version} or a newer one; nothing sent");
            return;
        }
        await steps.JsonAsync(HttpMethod.Post, At(origin, $"/api/v2/tickets/{ticketId}/notes"), new JsonObject
        {
            ["body"] = $"<p>The conversation changed (version {chat.Delivery.Version}, {WebUtility.HtmlEncode(chat.Kinds)}).</p>{chat.Html}<p>{WebUtility.HtmlEncode(chat.Marker)}</p>",
            ["private"] = true,
        });
        var tags = new JsonArray();
        if (ticket.TryGetProperty("tags", out var before) && before.ValueKind == JsonValueKind.Array)
        {
            foreach (var kept in before.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String))
            {
                tags.Add(kept.GetString());
            }
        }
        tags.Add(tag);
        await steps.JsonAsync(HttpMethod.Put, At(origin, $"/api/v2/tickets/{ticketId}"), new JsonObject { ["tags"] = tags });
    }

    /// <summary>Who the visitor is to Freshdesk when they left no e-mail: the platform's visitor id, else this chat.</summary>
    private static string VisitorKey(ChatView chat) =>
        chat.Conversation.Visitor.Or(null)?.Id.Or(null) is { } visitor
            ? string.Create(CultureInfo.InvariantCulture, $"chatport-visitor-{chat.Delivery.AccountId}-{visitor}")
            : chat.Key;

    private static bool HasTag(JsonElement ticket, string tag) =>
        ticket.ValueKind == JsonValueKind.Object && ticket.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
        && tags.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == tag);
}
