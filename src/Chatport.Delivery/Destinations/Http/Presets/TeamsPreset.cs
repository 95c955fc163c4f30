using System.Globalization;
using System.Text.Json.Nodes;
using Chatport.Contract;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// Microsoft Teams: one message through a Workflows webhook ("Post to a channel when a webhook request is received";
/// <c>POST {url}</c>), <c>{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
/// "content":{AdaptiveCard 1.4}}]}</c>: a title, the visitor, kinds and metrics as facts, and the transcript, cut to
/// stay under Teams' 28 KB message limit. No idempotency key: a retry after a lost answer, and a new version, post
/// another message.
/// </summary>
internal sealed class TeamsPreset : ChatMessagePreset
{
    /// <summary>How much of the transcript a card carries (Teams refuses messages over about 28 KB).</summary>
    public const int TranscriptLimit = 20_000;

    public override string Name => "teams";

    public override async Task SendAsync(HttpSteps steps, Uri origin, ChatView chat)
    {
        var channel = chat.Conversation.Channel ?? new Channel();
        var title = Title(chat);
        var text = chat.Text.TrimEnd();
        if (text.Length > TranscriptLimit)
        {
            text = text[..(char.IsLowSurrogate(text[TranscriptLimit]) ? TranscriptLimit - 1 : TranscriptLimit)] + "\n… (cut to fit a Teams message)";
        }
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray
                    {
                        Fact("Visitor", chat.VisitorEmail is { } email ? $"{chat.VisitorName ?? email} <{email}>" : chat.VisitorName ?? "(unknown)"),
                        Fact("Kinds", chat.Kinds),
                        Fact("Duration", Seconds(channel.Duration)),
                        Fact("First response", Seconds(channel.FirstResponse)),
                        Fact("Messages", channel.MessagesCount.HasValue ? channel.MessagesCount.Value.ToString(CultureInfo.InvariantCulture) : "unknown"),
                        Fact("Rating", channel.Rating.Or(null) is { } rating ? rating.ToString(CultureInfo.InvariantCulture) : "none"),
                    },
                },
                new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true, ["fontType"] = "Monospace", ["separator"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = chat.Marker, ["isSubtle"] = true, ["size"] = "Small" },
            },
        };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
        await steps.JsonAsync(HttpMethod.Post, origin, message, label: "POST the Teams Workflows webhook");
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };
}
