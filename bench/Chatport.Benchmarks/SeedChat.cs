using System.Globalization;
using System.Text.Json;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Benchmarks;

/// <summary>
/// The seed sample's chat as its 10 live events (copied from tests/Chatport.Tests/SeedEvents.cs, account 208,
/// chat 55039, id prefix "seed"), and deterministic synthetic chats built from them. Nothing random: every run
/// measures the same input.
/// </summary>
internal static class SeedChat
{
    public const long AccountId = 208;
    public const long ChatId = 55039;

    /// <summary>The server's clock when the chat's events arrive; fixed so runs are comparable.</summary>
    public const long ReceivedAt = 1427470477000;

    /// <summary>The 10 events of the seed sample's chat, in order: visitor, 2 pages, 5 messages, rating, close.</summary>
    public static readonly string[] EventTexts =
    [
        """{"id":"seed-visitor","accountId":208,"chatId":55039,"at":1427470439000,"type":"visitor","visitor":{"id":27671,"name":"Dusan Kmet","email":"dusan@domain.com","note":"VIP customer","group":null,"ipAddress":"89.235.0.55","city":"Czech Republic","countryCode":"CZ","country":"Brno","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36","platform":"MacIntel","referer":"","variables":{"chatId":{"label":"Chat ID","value":208},"chatPackage":{"label":"Chat Package","value":"pro"},"userId":{"label":"User ID","value":"1234"}}}}""",
        """{"id":"seed-page1","accountId":208,"chatId":55039,"at":1427470439100,"type":"page","page":{"url":"http://developers.smartsupp.com/smartsupp/hook-post","title":"POST Hook · Smartsupp"}}""",
        """{"id":"seed-page2","accountId":208,"chatId":55039,"at":1427470439200,"type":"page","page":{"url":"http://developers.smartsupp.com","title":"API · Smartsupp"}}""",
        """{"id":"seed-m1","accountId":208,"chatId":55039,"at":1427470439703,"type":"message","message":{"type":"visitor","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"Hello","triggeredBy":null}}""",
        """{"id":"seed-m2","accountId":208,"chatId":55039,"at":1427470446219,"type":"message","message":{"type":"system","name":"John Doe","from":"agent:3","content":"agent.join","triggeredBy":null}}""",
        """{"id":"seed-m3","accountId":208,"chatId":55039,"at":1427470449706,"type":"message","message":{"type":"agent","name":"","from":"system","content":"This is triggered message","triggeredBy":"Test Trigger"}}""",
        """{"id":"seed-m4","accountId":208,"chatId":55039,"at":1427470453772,"type":"message","message":{"type":"agent","name":"John Doe","from":"agent:3","content":"Hi, how can i help you ?","triggeredBy":null}}""",
        """{"id":"seed-m5","accountId":208,"chatId":55039,"at":1427470473124,"type":"message","message":{"type":"visitor","name":"Dusan Kmet","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"tanks.","triggeredBy":null}}""",
        """{"id":"seed-rating","accountId":208,"chatId":55039,"at":1427470475000,"type":"rating","rating":{"rating":5}}""",
        """{"id":"seed-close","accountId":208,"chatId":55039,"at":1427470476687,"type":"close","close":{"by":"visitor"}}""",
    ];

    /// <summary>The 10 events as one JSON array, the shape a batch request carries.</summary>
    public static string EventArray => $"[{string.Join(",", EventTexts)}]";

    /// <summary>Parses one event, failing loudly: a benchmark over a refused event would measure the wrong path.</summary>
    public static ChatEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ChatEventParser.TryParse(document.RootElement, out var chatEvent, out var error)
            ? chatEvent
            : throw new InvalidOperationException($"Benchmark input is not a valid event: {error}");
    }

    /// <summary>The seed chat's 10 events, parsed.</summary>
    public static ChatEvent[] ParsedEvents() => Array.ConvertAll(EventTexts, Parse);

    /// <summary>Applies one event, failing loudly unless the tracker returned <paramref name="expected"/>.</summary>
    public static void ApplyExpecting(ChatState state, ChatEvent chatEvent, ApplyResult expected)
    {
        var result = ChatTracker.Apply(state, chatEvent, ReceivedAt, out var refusal);
        if (result != expected)
        {
            throw new InvalidOperationException($"Event {chatEvent.Id}: expected {expected}, got {result} ({refusal}).");
        }
    }

    /// <summary>The seed chat, finished (by the visitor's close) and rated.</summary>
    public static ChatState FinishedSeedState()
    {
        var state = new ChatState();
        var events = ParsedEvents();
        for (var i = 0; i < events.Length; i++)
        {
            ApplyExpecting(state, events[i], i == events.Length - 1 ? ApplyResult.Finished : ApplyResult.Applied);
        }

        return state;
    }

    /// <summary>
    /// The text of the <paramref name="index"/>-th synthetic message event of a long chat: visitor and agent take
    /// turns, every 25th message is a trigger (an automated agent message), one message per ~7 s.
    /// </summary>
    public static string LongChatMessage(int index)
    {
        var at = 1427470440000 + (index * 7000L);
        string body;
        if (index % 25 == 24)
        {
            body = """{"type":"agent","name":"","from":"system","content":"Need help? Our team is online.","triggeredBy":"Proactive Trigger"}""";
        }
        else if (index % 2 == 0)
        {
            body = """{"type":"visitor","name":"Dusan Kmet","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"I have a question about my order number and the delivery date","triggeredBy":null}""";
        }
        else
        {
            body = """{"type":"agent","name":"John Doe","from":"agent:3","content":"Sure, let me check that for you, it should arrive tomorrow.","triggeredBy":null}""";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"id":"long-m{{index}}","accountId":208,"chatId":55040,"at":{{at}},"type":"message","message":{{body}}}""");
    }

    /// <summary>
    /// An open chat of the seed's visitor and pages plus <paramref name="messageCount"/> synthetic messages.
    /// </summary>
    public static ChatState OpenLongChat(int messageCount)
    {
        var state = new ChatState();
        var seed = ParsedEvents();
        for (var i = 0; i < 3; i++)
        {
            ApplyExpecting(state, seed[i], ApplyResult.Applied);
        }

        for (var i = 0; i < messageCount; i++)
        {
            ApplyExpecting(state, Parse(LongChatMessage(i)), ApplyResult.Applied);
        }

        return state;
    }

    /// <summary>The close event that finishes <see cref="OpenLongChat"/> (by the agent, after its last message).</summary>
    public static ChatEvent LongChatClose(int messageCount) => Parse(string.Create(
        CultureInfo.InvariantCulture,
        $$$"""{"id":"long-close","accountId":208,"chatId":55040,"at":{{{1427470440000 + (messageCount * 7000L)}}},"type":"close","close":{"by":"agent","name":"John Doe"}}"""));

    /// <summary>The messages of a finished synthetic chat of <paramref name="count"/> messages, as the tracker keeps them.</summary>
    public static List<Message> LongChatMessages(int count) => OpenLongChat(count).Messages;
}
