using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

/// <summary>The seed's sample conversation, replayed as live events, comes out byte for byte as the sample.</summary>
public sealed class SeedReplayTests
{
    private const long ReceivedAt = 1427470477000;

    /// <summary>The sample as a chat platform would have sent it, one event a line, in <c>at</c> order.</summary>
    private static readonly string[] SeedEvents =
    [
        """
        {"id":"e1","accountId":208,"chatId":55039,"at":1427470430000,"type":"visitor",
         "visitor":{"id":27671,"name":"Dusan Kmet","email":"dusan@domain.com","note":"VIP customer","group":null,
          "ipAddress":"89.235.0.55","city":"Czech Republic","countryCode":"CZ","country":"Brno",
          "userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36",
          "platform":"MacIntel","referer":"",
          "variables":{"chatId":{"label":"Chat ID","value":208},"chatPackage":{"label":"Chat Package","value":"pro"},
           "userId":{"label":"User ID","value":"1234"}}}}
        """,
        """
        {"id":"e2","accountId":208,"chatId":55039,"at":1427470431000,"type":"page",
         "page":{"url":"http://developers.smartsupp.com/smartsupp/hook-post","title":"POST Hook · Smartsupp"}}
        """,
        """
        {"id":"e3","accountId":208,"chatId":55039,"at":1427470432000,"type":"page",
         "page":{"url":"http://developers.smartsupp.com","title":"API · Smartsupp"}}
        """,
        """
        {"id":"e4","accountId":208,"chatId":55039,"at":1427470439703,"type":"message",
         "message":{"type":"visitor","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"Hello"}}
        """,
        """
        {"id":"e5","accountId":208,"chatId":55039,"at":1427470446219,"type":"message",
         "message":{"type":"system","name":"John Doe","from":"agent:3","content":"agent.join","sentAt":1427470446219,"triggeredBy":null}}
        """,
        """
        {"id":"e6","accountId":208,"chatId":55039,"at":1427470449706,"type":"message",
         "message":{"type":"agent","name":"","from":"system","content":"This is triggered message","triggeredBy":"Test Trigger"}}
        """,
        """
        {"id":"e7","accountId":208,"chatId":55039,"at":1427470453772,"type":"message",
         "message":{"type":"agent","name":"John Doe","from":"agent:3","content":"Hi, how can i help you ?","sentAt":1427470453772}}
        """,
        """
        {"id":"e8","accountId":208,"chatId":55039,"at":1427470473124,"type":"message",
         "message":{"type":"visitor","name":"Dusan Kmet","from":"visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015","content":"tanks.","triggeredBy":null}}
        """,
        """
        {"id":"e9","accountId":208,"chatId":55039,"at":1427470475000,"type":"rating","rating":{"rating":5}}
        """,
        """
        {"id":"e10","accountId":208,"chatId":55039,"at":1427470476687,"type":"close","close":{"by":"visitor"}}
        """,
    ];

    [Fact]
    public void Replaying_the_seed_as_events_exports_the_seed_sample()
    {
        var state = Replay();

        var conversation = ConversationBuilder.Build(EventJson.AccountId, EventJson.ChatId, state);

        Assert.NotNull(conversation);
        var expected = JsonNode.Parse(Samples.Seed)!.ToJsonString();
        var actual = JsonNode.Parse(ContractJson.Serialize(conversation))!.ToJsonString();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_event_but_the_close_applies_and_the_close_finishes_as_a_visitor_close()
    {
        var state = new ChatState();
        for (var i = 0; i < SeedEvents.Length; i++)
        {
            var result = ChatTracker.Apply(state, EventJson.Parse(SeedEvents[i]), ReceivedAt, out var refusal);

            Assert.Null(refusal);
            Assert.Equal(i == SeedEvents.Length - 1 ? ApplyResult.Finished : ApplyResult.Applied, result);
        }

        Assert.Equal(FinishReason.VisitorClose, state.FinishedBy);
        Assert.Equal(ReceivedAt, state.FinishedAt);
    }

    [Fact]
    public void The_replayed_state_survives_persistence()
    {
        var state = ChatStateJson.Deserialize(ChatStateJson.Serialize(Replay()));

        var conversation = ConversationBuilder.Build(EventJson.AccountId, EventJson.ChatId, state);

        Assert.Equal(
            JsonNode.Parse(Samples.Seed)!.ToJsonString(),
            JsonNode.Parse(ContractJson.Serialize(conversation!))!.ToJsonString());
    }

    [Fact]
    public void The_exported_conversation_is_of_kind_completed()
    {
        var conversation = ConversationBuilder.Build(EventJson.AccountId, EventJson.ChatId, Replay())!;

        Assert.Equal([ConversationKinds.Completed], ConversationKinds.Of(conversation.Channel!));
    }

    internal static ChatState Replay()
    {
        var state = new ChatState();
        foreach (var json in SeedEvents)
        {
            EventJson.Apply(state, EventJson.Parse(json), ReceivedAt);
        }

        return state;
    }
}
