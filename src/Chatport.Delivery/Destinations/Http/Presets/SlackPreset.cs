using System.Globalization;
using System.Text.Json.Nodes;
using Chatport.Contract;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// Slack: one message through an incoming webhook (<c>POST {url}</c>) with <c>text</c> (the notification's fallback)
/// and <c>blocks</c>: a header, the visitor, kinds and metrics as fields, and the transcript in a section, cut to
/// Slack's limits (150 characters a header, 3000 a section's text). Slack's webhooks take no idempotency key: a retry
/// after a lost answer, and a new version, post another message.
/// </summary>
internal sealed class SlackPreset : ChatMessagePreset
{
    /// <summary>Slack's limit on a section's text.</summary>
    public const int SectionLimit = 3000;

    private const int HeaderLimit = 150;

    public override string Name => "slack";

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        var channel = chat.Conversation.Channel ?? new Channel();
        var title = Title(chat);
        var visitor = chat.VisitorEmail is { } email ? $"{Escape(chat.VisitorName ?? email)} <mailto:{email}|{Escape(email)}>" : Escape(chat.VisitorName ?? "(unknown)");
        var message = new JsonObject
        {
            ["text"] = title,
            ["blocks"] = new JsonArray
            {
                new JsonObject { ["type"] = "header", ["text"] = Plain(Cut(title, HeaderLimit)) },
                new JsonObject
                {
                    ["type"] = "section",
                    ["fields"] = new JsonArray
                    {
                        Markdown($"*Visitor*\n{visitor}"),
                        Markdown($"*Kinds*\n{Escape(chat.Kinds)}"),
                        Markdown($"*Duration*\n{Seconds(channel.Duration)}, first response {Seconds(channel.FirstResponse)}"),
                        Markdown($"*Messages*\n{Number(channel.MessagesCount)}, rating {(channel.Rating.Or(null) is { } r ? r.ToString(CultureInfo.InvariantCulture) : "none")}"),
                    },
                },
                new JsonObject { ["type"] = "section", ["text"] = Markdown(Transcript(chat.Text)) },
                new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Markdown(Escape(chat.Marker))) },
            },
        };
        await steps.JsonAsync(HttpMethod.Post, origin, message, label: "POST the Slack incoming webhook");
    }

    /// <summary>The transcript as a code block, cut to fit a section (with a line saying so).</summary>
    internal static string Transcript(string text)
    {
        const string Fence = "```";
        const string More = "\n… (cut to Slack's limit)";
        var escaped = Escape(text.TrimEnd());
        var room = SectionLimit - 2 * Fence.Length - 2;
        return Fence + "\n" + (escaped.Length <= room ? escaped : Cut(escaped, room - More.Length) + More) + "\n" + Fence;
    }

    /// <summary>Slack's three control characters, escaped as its docs ask.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>At most <paramref name="limit"/> characters, never splitting an entity or a surrogate pair.</summary>
    private static string Cut(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }
        var end = limit;
        if (char.IsLowSurrogate(text[end]))
        {
            end--;
        }
        var amp = text.LastIndexOf('&', end - 1, Math.Min(end, 5));
        if (amp >= 0 && text.IndexOf(';', amp) >= end)
        {
            end = amp;
        }
        return text[..end];
    }

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Number(Optional<long> value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "unknown";
}
