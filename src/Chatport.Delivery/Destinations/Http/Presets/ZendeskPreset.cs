using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// Zendesk Support: one ticket per conversation. The ticket's <c>external_id</c> is the conversation's key
/// (<c>chatport-{accountId}-{chatId}</c>), looked up first (<c>GET /api/v2/tickets.json?external_id=…</c>); none: a
/// ticket is made (<c>POST /api/v2/tickets.json</c>: subject, requester, the transcript as its first, private
/// comment, tags <c>chatport</c> and <c>chatport-v{version}</c>); found with an older version's tag: the new
/// transcript is added as a private comment with the tag in the same update (<c>PUT /api/v2/tickets/{id}.json</c>);
/// found with this version's tag or a newer one: nothing is sent. Basic auth <c>{email}/token:{token}</c>.
/// </summary>
internal sealed class ZendeskPreset : HttpPreset
{
    public override string Name => "zendesk";

    public override IReadOnlyList<string> Credentials { get; } = ["subdomain", "email", "token"];

    public override string Origin(HttpConfig config, HttpSecrets secrets) => $"https://{config.Subdomain}.zendesk.com";

    public override string? CheckCredential(string field, string value) =>
        field == "subdomain" ? CheckLabel(field, value) : field == "email" && !value.Contains('@', StringComparison.Ordinal) ? "email must be the agent's e-mail address." : null;

    public override void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets) =>
        Basic(request, config.Email + "/token", secrets.Token ?? "");

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        var tag = VersionTag(chat);
        var found = await steps.JsonAsync(HttpMethod.Get, At(origin, $"/api/v2/tickets.json?external_id={Uri.EscapeDataString(chat.Key)}"), null);
        var ticket = found.TryGetProperty("tickets", out var tickets) && tickets.ValueKind == JsonValueKind.Array
            ? tickets.EnumerateArray().FirstOrDefault(t => t.TryGetProperty("external_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == chat.Key)
            : default;
        if (ticket.ValueKind != JsonValueKind.Object)
        {
            var created = await steps.JsonAsync(HttpMethod.Post, At(origin, "/api/v2/tickets.json"), new JsonObject { ["ticket"] = NewTicket(chat, tag) });
            if (!created.TryGetProperty("ticket", out var made) || !made.TryGetProperty("id", out _))
            {
                throw steps.Unexpected("the new ticket's id is missing");
            }
            return;
        }
        if (!ticket.TryGetProperty("id", out var ticketId) || ticketId.ValueKind != JsonValueKind.Number)
        {
            throw steps.Unexpected("the ticket found has no id");
        }
        if (NewestTagged(ticket) >= chat.Delivery.Version)
        {
            steps.Note($"ticket {ticketId.GetInt64()} already holds version {chat.Delivery.Version} or a newer one; nothing sent");
            return;
        }
        await steps.JsonAsync(HttpMethod.Put, At(origin, $"/api/v2/tickets/{ticketId.GetInt64()}.json"), new JsonObject
        {
            ["ticket"] = new JsonObject
            {
                ["comment"] = Comment($"The conversation changed (version {chat.Delivery.Version}, {chat.Kinds}).\n\n{chat.Text}\n{chat.Marker}"),
                ["additional_tags"] = new JsonArray(tag),
            },
        });
    }

    private static JsonObject NewTicket(ChatView chat, string tag)
    {
        var ticket = new JsonObject
        {
            ["subject"] = chat.Subject,
            ["comment"] = Comment($"{chat.Text}\n{chat.Marker}"),
            ["external_id"] = chat.Key,
            ["tags"] = new JsonArray("chatport", tag),
        };
        if (chat.VisitorEmail is { } email)
        {
            ticket["requester"] = new JsonObject { ["name"] = chat.VisitorName ?? email, ["email"] = email };
        }
        return ticket;
    }

    private static JsonObject Comment(string body) => new() { ["body"] = body, ["public"] = false };
}
