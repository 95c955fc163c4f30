using System.Globalization;
using System.Text.Json;
using Chatport.Contract;
using Chatport.Storage.Accounts;
using Chatport.Storage.Deliveries;
using Chatport.Transcripts;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// What one attempt knows of the conversation it sends, read once: the seed JSON as sent, the contract object, the
/// account and its zone, the transcripts (times in the account's zone), and the conversation's stable key.
/// </summary>
internal sealed class ChatView
{
    private string? _text;
    private string? _html;

    public ChatView(DeliveryWork delivery, int attempt, JsonElement seed, Conversation conversation, Account? account, TimeZoneInfo zone)
    {
        Delivery = delivery;
        Attempt = attempt;
        Seed = seed;
        Conversation = conversation;
        Account = account;
        Zone = zone;
        var visitor = conversation.Visitor.Or(null);
        VisitorEmail = string.IsNullOrWhiteSpace(visitor?.Email.Or(null)) ? null : visitor!.Email.Value!.Trim();
        VisitorName = string.IsNullOrWhiteSpace(visitor?.Name.Or(null)) ? null : visitor!.Name.Value!.Trim();
    }

    public DeliveryWork Delivery { get; }

    public int Attempt { get; }

    /// <summary>The seed-format JSON exactly as it is delivered (after the destination's redaction).</summary>
    public JsonElement Seed { get; }

    public Conversation Conversation { get; }

    public Account? Account { get; }

    public TimeZoneInfo Zone { get; }

    public string? VisitorEmail { get; }

    public string? VisitorName { get; }

    public string Text => _text ??= TranscriptRenderer.RenderText(Conversation, Zone);

    public string Html => _html ??= TranscriptRenderer.RenderHtml(Conversation, Zone);

    /// <summary>The conversation's identity in a far system, the same for every attempt and version: <c>chatport-208-55039</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"chatport-{Delivery.AccountId}-{Delivery.ChatId}");

    /// <summary>The marker a note or comment carries to say which version it holds: <c>chatport-208-55039 v2</c>.</summary>
    public string Marker => string.Create(CultureInfo.InvariantCulture, $"{Key} v{Delivery.Version}");

    public string Kinds => string.Join(", ", Delivery.Kinds);

    /// <summary>"Chat with Dusan Kmet (completed)".</summary>
    public string Subject => $"Chat with {VisitorName ?? VisitorEmail ?? "a visitor"} ({Kinds})";

    /// <summary>When the chat began (else ended, else was stored), epoch ms.</summary>
    public long StartedAtMs => Conversation.BeginAt.HasValue ? Conversation.BeginAt.Value
        : Conversation.EndAt.HasValue ? Conversation.EndAt.Value : Delivery.CreatedAt.ToUnixTimeMilliseconds();

    /// <summary>The version a marker found in a far system's text says (<c>chatport-208-55039 v2</c> → 2); null when the text has none.</summary>
    public int? VersionIn(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var at = text.IndexOf(Key + " v", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var start = at + Key.Length + 2;
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }
        return int.TryParse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }
}
