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
        text.Append('\n');
        var visitorName = VisitorName(conversation);
        foreach (var message in conversation.Messages ?? [])
        {
            var (who, content) = Line(message, visitorName);
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
        var paths = conversation.Paths.Or(null) ?? [];
        lines.Add(paths.Count == 0 ? "Pages visited: none" : "Pages visited:");
        foreach (var path in paths)
        {
            var title = path.Title.Or(null);
            lines.Add($"  {Text(path.Url, "(no address)")}{(string.IsNullOrEmpty(title) ? "" : $" ({title})")}");
        }
        return lines;
    }

    /// <summary>Who said a message (null for a system sentence) and what it says.</summary>
    private static (string? Who, string Content) Line(Message message, string visitorName)
    {
        var content = message.Content.Or(null) ?? "";
        var name = message.Name.Or(null);
        if (message.TriggeredBy is { HasValue: true, Value: { } trigger })
        {
            return ($"Trigger \"{trigger}\"", content);
        }
        switch (message.Type.Or(null))
        {
            case "visitor":
                return ($"{(string.IsNullOrEmpty(name) ? visitorName : name)} (visitor)", content);
            case "agent":
                return ($"{(string.IsNullOrEmpty(name) ? "Agent" : name)} (agent)", content);
            case "system":
                return (null, SystemSentence(content, name));
            default:
                return ($"{(string.IsNullOrEmpty(name) ? "Unknown" : name)} ({message.Type.Or(null) ?? "unknown"})", content);
        }
    }

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
