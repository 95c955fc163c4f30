using System.Globalization;
using System.Text;
using Chatport.Contract;

namespace Chatport.Transcripts;

/// <summary>
/// A finished conversation as a transcript a person reads: a header with the chat's metrics and flags (the seed's
/// <c>channel</c>), the visitor, the pages visited, then one line per message with its time in the account's zone.
/// Visitor, agent, trigger (automated: <c>triggeredBy</c> not null, whatever its <c>type</c>) and system messages are
/// told apart; the system codes (<c>agent.join</c>, <c>close.*</c>) read as sentences. Pure: no clock, no I/O.
/// Lines end with <c>\n</c>; a message's further lines are indented under it.
/// </summary>
public static class TranscriptRenderer
{
    /// <summary>How times are shown: <c>2015-03-27 15:33:59</c>.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private const string Continuation = "    ";

    /// <summary>The transcript as plain text.</summary>
    public static string RenderText(Conversation conversation, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(zone);
        var text = new StringBuilder();
        foreach (var line in Header(conversation, zone))
        {
            text.Append(line).Append('\n');
        }
        var pages = Pages(conversation);
        text.Append(pages.Count == 0 ? "Pages visited: none\n" : "Pages visited:\n");
        foreach (var (url, title) in pages)
        {
            text.Append("  ").Append(url).Append(title is null ? "" : $" ({title})").Append('\n');
        }
        text.Append('\n');
        var visitorName = VisitorName(conversation);
        foreach (var message in conversation.Messages ?? [])
        {
            var (_, who, content) = Line(message, visitorName);
            text.Append(Time(message.SentAt, zone)).Append("  ");
            if (who is not null)
            {
                text.Append(who).Append(": ");
            }
            text.Append(content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
                .Replace("\n", "\n" + Continuation, StringComparison.Ordinal)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The header's lines: who, when, the metrics, the flags, the pages.</summary>
    private static List<string> Header(Conversation conversation, TimeZoneInfo zone)
    {
        var channel = conversation.Channel ?? new Channel();
        var lines = new List<string>
        {
            $"Chat {Number(channel.Id)} (account {Number(conversation.AccountId)})",
            $"From {Time(conversation.BeginAt, zone)} to {Time(conversation.EndAt, zone)} ({zone.Id})",
        };
        if (conversation.Visitor is { HasValue: true, Value: { } visitor })
        {
            var email = visitor.Email.Or(null);
            lines.Add($"Visitor: {Text(visitor.Name, "(no name)")}{(string.IsNullOrEmpty(email) ? "" : $" <{email}>")}");
        }
        lines.Add($"Duration: {Seconds(channel.Duration)}, first response: {Seconds(channel.FirstResponse)}, average response: {Seconds(channel.AvgResponse)}");
        lines.Add($"Messages: {Number(channel.MessagesCount)}, words: {Number(channel.WordsCount)}, rating: {Rating(channel)}");
        lines.Add($"Completed: {Flag(channel.IsCompleted)}, missed: {Flag(channel.IsMissed)}, offline: {Flag(channel.IsOffline)}, " +
            $"dropped: {Flag(channel.IsDropped)}, triggered: {Flag(channel.IsTriggered)}");
        return lines;
    }

    /// <summary>The pages visited: each one's address and title (null when it has none).</summary>
    private static List<(string Url, string? Title)> Pages(Conversation conversation) =>
        [.. (conversation.Paths.Or(null) ?? []).Select(p => (Text(p.Url, "(no address)"), string.IsNullOrEmpty(p.Title.Or(null)) ? null : p.Title.Value))];

    /// <summary>What kind of line a message is (visitor, agent, trigger, system, other), who said it (null for a system sentence) and what it says.</summary>
    private static (string Kind, string? Who, string Content) Line(Message message, string visitorName)
    {
        var content = message.Content.Or(null) ?? "";
        var name = message.Name.Or(null);
        if (message.TriggeredBy is { HasValue: true, Value: { } trigger })
        {
            return ("trigger", $"Trigger \"{trigger}\"", content);
        }
        switch (message.Type.Or(null))
        {
            case "visitor":
                return ("visitor", $"{(string.IsNullOrEmpty(name) ? visitorName : name)} (visitor)", content);
            case "agent":
                return ("agent", $"{(string.IsNullOrEmpty(name) ? "Agent" : name)} (agent)", content);
            case "system":
                return ("system", null, SystemSentence(content, name));
            default:
                return ("other", $"{(string.IsNullOrEmpty(name) ? "Unknown" : name)} ({message.Type.Or(null) ?? "unknown"})", content);
        }
    }

    /// <summary>
    /// The transcript as an HTML fragment (an <c>article</c>): the same header, pages and lines as
    /// <see cref="RenderText"/>, every text HTML-encoded, each message a list item whose class says its kind
    /// (<c>visitor</c>, <c>agent</c>, <c>trigger</c>, <c>system</c>, <c>other</c>); a page is a link only when its
    /// address is http or https.
    /// </summary>
    public static string RenderHtml(Conversation conversation, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(zone);
        var html = new StringBuilder("<article class=\"chatport-transcript\">\n<header>\n");
        var header = Header(conversation, zone);
        html.Append("<h1>").Append(Encode(header[0])).Append("</h1>\n");
        foreach (var line in header.Skip(1))
        {
            html.Append("<p>").Append(Encode(line)).Append("</p>\n");
        }
        var pages = Pages(conversation);
        html.Append(pages.Count == 0 ? "<p>Pages visited: none</p>\n" : "<p>Pages visited:</p>\n<ul class=\"pages\">\n");
        foreach (var (url, title) in pages)
        {
            var link = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? $"<a href=\"{Encode(url)}\">{Encode(url)}</a>"
                : Encode(url);
            html.Append("<li>").Append(link).Append(title is null ? "" : $" ({Encode(title)})").Append("</li>\n");
        }
        html.Append(pages.Count == 0 ? "" : "</ul>\n").Append("</header>\n<ol class=\"messages\">\n");
        var visitorName = VisitorName(conversation);
        foreach (var message in conversation.Messages ?? [])
        {
            var (kind, who, content) = Line(message, visitorName);
            html.Append("<li class=\"").Append(kind).Append("\"><time>").Append(Time(message.SentAt, zone)).Append("</time> ");
            if (who is not null)
            {
                html.Append("<b>").Append(Encode(who)).Append("</b>: ");
            }
            var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
            html.AppendJoin("<br>", lines.Select(Encode)).Append("</li>\n");
        }
        return html.Append("</ol>\n</article>\n").ToString();
    }

    /// <summary>Text made safe for HTML content and attribute values (<c>&lt; &gt; &amp; " '</c> and the like encoded; letters kept).</summary>
    private static string Encode(string text) => Html.Encode(text);

    private static readonly System.Text.Encodings.Web.HtmlEncoder Html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>A system code as a sentence; a code this build does not know is shown as it is.</summary>
    private static string SystemSentence(string code, string? name)
    {
        var who = string.IsNullOrEmpty(name) ? null : name;
        return code switch
        {
            "agent.join" => $"{who ?? "An agent"} joined the chat.",
            "agent.leave" => $"{who ?? "An agent"} left the chat.",
            "close.visitorClose" => $"{who ?? "The visitor"} closed the chat.",
            "close.agentClose" => $"{who ?? "The agent"} closed the chat.",
            "close.systemClose" => $"{who ?? "The system"} closed the chat.",
            _ => code,
        };
    }

    private static string VisitorName(Conversation conversation) =>
        conversation.Visitor is { HasValue: true, Value: { } visitor } && !string.IsNullOrEmpty(visitor.Name.Or(null)) ? visitor.Name.Value! : "Visitor";

    /// <summary>An epoch-milliseconds time in the zone, to the second; "unknown" when absent.</summary>
    public static string Time(Optional<long> epochMs, TimeZoneInfo zone) =>
        epochMs.HasValue ? Time(epochMs.Value, zone) : "unknown";

    /// <summary>An epoch-milliseconds time in the zone, to the second.</summary>
    public static string Time(long epochMs, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), zone).ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static string Number(Optional<long> value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "unknown";

    private static string Seconds(Optional<long> value) => value.HasValue ? $"{value.Value.ToString(CultureInfo.InvariantCulture)} s" : "unknown";

    private static string Flag(Optional<bool> value) => value.HasValue ? value.Value ? "yes" : "no" : "unknown";

    private static string Text(Optional<string?> value, string none) => string.IsNullOrEmpty(value.Or(null)) ? none : value.Value!;

    private static string Rating(Channel channel)
    {
        if (channel.Rating.Or(null) is not { } rating)
        {
            return "none";
        }
        var comment = channel.RatingDesc.Or(null);
        return string.IsNullOrEmpty(comment) ? rating.ToString(CultureInfo.InvariantCulture) : $"{rating.ToString(CultureInfo.InvariantCulture)} (\"{comment}\")";
    }
}
