using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Tracking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Chatport.Tests.Tracking;

public sealed class ChatTrackerTests
{
    private const string Visitor = "\"type\":\"visitor\",\"from\":\"visitor:v1\"";
    private const string Agent = "\"type\":\"agent\",\"name\":\"John Doe\",\"from\":\"agent:3\"";

    [Fact]
    public void A_message_without_sentAt_is_sent_at_the_events_at()
    {
        var state = new ChatState();

        var result = EventJson.Apply(state, Msg("e1", 1_000, $$"""{{{Visitor}},"content":"Hello"}"""));

        Assert.Equal(ApplyResult.Applied, result);
        Assert.Equal(1_000, Assert.Single(state.Messages).SentAt.Value);
    }

    [Fact]
    public void A_given_sentAt_wins_over_at()
    {
        var state = new ChatState();

        EventJson.Apply(state, Msg("e1", 9_000, $$"""{{{Visitor}},"content":"Hello","sentAt":1234}"""));

        Assert.Equal(1234, Assert.Single(state.Messages).SentAt.Value);
    }

    [Fact]
    public void A_rating_without_a_comment_has_an_empty_ratingDesc()
    {
        var state = new ChatState();

        var result = EventJson.Apply(state, EventJson.Of("r", 5, "rating", "\"rating\":{\"rating\":4}"));

        Assert.Equal(ApplyResult.Applied, result);
        Assert.True(state.Rated);
        Assert.Equal(4, state.Rating);
        Assert.Equal("", state.RatingDesc);
    }

    [Fact]
    public void A_rating_comment_is_kept()
    {
        var state = Finished(EventJson.Of("r", 5, "rating", "\"rating\":{\"rating\":2,\"ratingDesc\":\"slow\"}"));

        var channel = Build(state).Channel!;

        Assert.Equal(2, channel.Rating.Value);
        Assert.Equal("slow", channel.RatingDesc.Value);
    }

    [Fact]
    public void Not_rated_exports_rating_and_ratingDesc_as_null()
    {
        var json = Json(Build(Finished()));

        var channel = json["channel"]!.AsObject();
        Assert.True(channel.ContainsKey("rating"));
        Assert.Null(channel["rating"]);
        Assert.True(channel.ContainsKey("ratingDesc"));
        Assert.Null(channel["ratingDesc"]);
    }

    [Fact]
    public void An_absent_name_stays_absent_and_a_null_name_stays_null()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("e1", 1_000, $$"""{{{Visitor}},"content":"no name"}"""));
        EventJson.Apply(state, Msg("e2", 2_000, $$"""{{{Visitor}},"name":null,"content":"null name"}"""));
        Finish(state);

        var messages = Json(Build(state))["messages"]!.AsArray();

        Assert.False(messages[0]!.AsObject().ContainsKey("name"));
        Assert.True(messages[1]!.AsObject().ContainsKey("name"));
        Assert.Null(messages[1]!["name"]);
    }

    [Fact]
    public void An_absent_triggeredBy_is_exported_as_null()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("e1", 1_000, $$"""{{{Visitor}},"content":"Hello"}"""));
        EventJson.Apply(state, Msg("e2", 2_000, """{"type":"agent","name":"","from":"system","content":"Welcome","triggeredBy":"Greeter"}"""));
        Finish(state);

        var messages = Json(Build(state))["messages"]!.AsArray();

        Assert.All(messages, m => Assert.True(m!.AsObject().ContainsKey("triggeredBy")));
        Assert.Null(messages[0]!["triggeredBy"]);
        Assert.Equal("Greeter", (string?)messages[1]!["triggeredBy"]);
        Assert.Null(messages[2]!["triggeredBy"]);
    }

    [Theory]
    [InlineData("{\"by\":\"agent\",\"name\":\"John Doe\"}", true, "close.agentClose", "John Doe")]
    [InlineData("{\"by\":\"visitor\",\"name\":\"Someone Else\"}", true, "close.visitorClose", "Someone Else")]
    [InlineData("{\"by\":\"visitor\"}", true, "close.visitorClose", "Dusan Kmet")]
    [InlineData("{\"by\":\"visitor\",\"name\":null}", true, "close.visitorClose", "Dusan Kmet")]
    [InlineData("{\"by\":\"visitor\"}", false, "close.visitorClose", null)]
    [InlineData("{\"by\":\"agent\"}", true, "close.agentClose", null)]
    [InlineData("{\"by\":\"system\"}", true, "close.systemClose", null)]
    [InlineData("{\"by\":\"system\",\"name\":\"Bot\"}", false, "close.systemClose", "Bot")]
    public void The_close_message_names_the_closer_when_known(string close, bool visitorKnown, string content, string? name)
    {
        var state = new ChatState();
        if (visitorKnown)
        {
            EventJson.Apply(state, EventJson.Of("v", 1, "visitor", "\"visitor\":{\"name\":\"Dusan Kmet\"}"));
        }

        EventJson.Apply(state, Msg("m", 1_000, $$"""{{{Visitor}},"content":"Hello"}"""));
        var result = EventJson.Apply(state, EventJson.Of("c", 5_000, "close", $"\"close\":{close}"));

        Assert.Equal(ApplyResult.Finished, result);
        var closeMessage = Json(Build(state))["messages"]![1]!.AsObject();
        Assert.Equal(content, (string?)closeMessage["content"]);
        Assert.Equal("system", (string?)closeMessage["type"]);
        Assert.Equal("system", (string?)closeMessage["from"]);
        Assert.Equal(5_000, (long)closeMessage["sentAt"]!);
        Assert.True(closeMessage.ContainsKey("triggeredBy"));
        Assert.Null(closeMessage["triggeredBy"]);
        if (name is null)
        {
            Assert.False(closeMessage.ContainsKey("name"));
        }
        else
        {
            Assert.Equal(name, (string?)closeMessage["name"]);
        }

        Assert.Equal(name is null ? 5 : 6, closeMessage.Count);
    }

    [Theory]
    [InlineData("visitor", FinishReason.VisitorClose)]
    [InlineData("agent", FinishReason.AgentClose)]
    [InlineData("system", FinishReason.SystemClose)]
    public void A_close_finishes_with_its_reason_at_the_servers_time(string by, FinishReason reason)
    {
        var state = new ChatState();

        var result = ChatTracker.Apply(state, EventJson.Of("c", 5, "close", $"\"close\":{{\"by\":\"{by}\"}}"), 777, out _);

        Assert.Equal(ApplyResult.Finished, result);
        Assert.Equal(reason, state.FinishedBy);
        Assert.Equal(777, state.FinishedAt);
    }

    [Fact]
    public void The_visitor_is_merged_key_by_key()
    {
        var state = new ChatState();

        EventJson.Apply(state, EventJson.Of("v1", 1, "visitor", """
            "visitor":{"id":1,"name":"Ann","email":"ann@example.com","variables":{
              "plan":{"label":"Plan","value":"free"},"seats":{"label":"Seats","value":3}}}
            """));
        EventJson.Apply(state, EventJson.Of("v2", 2, "visitor", """
            "visitor":{"name":"Ann Smith","email":null,"city":"Brno","variables":{
              "plan":{"label":"Plan","value":"pro"},"vip":{"label":"VIP","value":true},
              "none":{"label":"Nothing","value":null},"tags":{"label":"Tags","value":["a",1]},
              "meta":{"label":"Meta","value":{"x":1.5}}}}
            """));
        // Any event may carry visitor fields.
        EventJson.Apply(state, Msg("m", 3, $$"""{{{Visitor}},"content":"Hi"}""", "\"visitor\":{\"note\":\"from a message\"}"));

        var visitor = Json(Build(Finish(state)))["visitor"]!;

        Assert.Equal(1, (long)visitor["id"]!);
        Assert.Equal("Ann Smith", (string?)visitor["name"]);
        Assert.True(visitor.AsObject().ContainsKey("email"));
        Assert.Null(visitor["email"]);
        Assert.Equal("Brno", (string?)visitor["city"]);
        Assert.Equal("from a message", (string?)visitor["note"]);
        var variables = visitor["variables"]!.AsObject();
        Assert.Equal(["plan", "seats", "vip", "none", "tags", "meta"], variables.Select(v => v.Key));
        Assert.Equal("pro", (string?)variables["plan"]!["value"]);
        Assert.Equal(3, (int)variables["seats"]!["value"]!);
        Assert.Equal("Seats", (string?)variables["seats"]!["label"]);
        Assert.True((bool)variables["vip"]!["value"]!);
        Assert.True(variables["none"]!.AsObject().ContainsKey("value"));
        Assert.Null(variables["none"]!["value"]);
        Assert.Equal("""["a",1]""", variables["tags"]!["value"]!.ToJsonString());
        Assert.Equal("""{"x":1.5}""", variables["meta"]!["value"]!.ToJsonString());
    }

    [Fact]
    public void An_unknown_visitor_exports_every_key_as_null_with_empty_variables_and_paths()
    {
        var json = Json(Build(Finished()));

        var visitor = json["visitor"]!.AsObject();
        Assert.Equal(
            ["id", "name", "email", "note", "group", "ipAddress", "city", "countryCode", "country", "userAgent", "platform", "referer", "variables"],
            visitor.Select(p => p.Key));
        Assert.All(visitor.Where(p => p.Key != "variables"), p => Assert.Null(p.Value));
        Assert.Empty(visitor["variables"]!.AsObject());
        Assert.Empty(json["paths"]!.AsArray());
        Assert.Equal(["accountId", "beginAt", "endAt", "channel", "visitor", "paths", "messages"], json.AsObject().Select(p => p.Key));
        Assert.Equal(
            ["id", "isChat", "isMissed", "isTriggered", "isOffline", "isCompleted", "isDropped", "duration", "avgResponse",
             "firstResponse", "messagesCount", "wordsCount", "rating", "ratingDesc"],
            json["channel"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Pages_keep_their_order_and_an_absent_title_is_null()
    {
        var state = new ChatState();
        EventJson.Apply(state, EventJson.Of("p1", 3, "page", "\"page\":{\"url\":\"https://a.example/\",\"title\":\"A\"}"));
        EventJson.Apply(state, EventJson.Of("p2", 2, "page", "\"page\":{\"url\":\"https://b.example/\"}"));
        EventJson.Apply(state, EventJson.Of("p3", 1, "page", "\"page\":{\"url\":\"https://a.example/\",\"title\":\"A again\"}"));

        var paths = Json(Build(Finish(state)))["paths"]!.AsArray();

        Assert.Equal(
            """[{"url":"https://a.example/","title":"A"},{"url":"https://b.example/","title":null},{"url":"https://a.example/","title":"A again"}]""",
            paths.ToJsonString());
    }

    [Fact]
    public void Messages_arriving_out_of_order_are_exported_by_sentAt_and_ties_keep_arrival_order()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("e1", 3_000, $$"""{{{Visitor}},"content":"third"}"""));
        EventJson.Apply(state, Msg("e2", 1_000, $$"""{{{Visitor}},"content":"first"}"""));
        EventJson.Apply(state, Msg("e3", 3_000, $$"""{{{Agent}},"content":"fourth"}"""));
        EventJson.Apply(state, Msg("e4", 2_000, $$"""{{{Agent}},"content":"second"}"""));
        EventJson.Apply(state, Msg("e5", 1_000, $$"""{{{Visitor}},"content":"first bis"}"""));

        ChatTracker.FinishForInactivity(state, 10_000);
        var conversation = Build(state);

        Assert.Equal(["first", "first bis", "second", "third", "fourth"], conversation.Messages!.Select(m => m.Content.Value));
        Assert.Equal(1_000, conversation.BeginAt.Value);
        Assert.Equal(3_000, conversation.EndAt.Value);
    }

    [Property(MaxTest = 300)]
    public Property Messages_are_always_ordered_by_sentAt_with_ties_in_arrival_order() =>
        Prop.ForAll(Gen.Choose(0, 20).ListOf().ToArbitrary(), times =>
        {
            var state = new ChatState();
            for (var i = 0; i < times.Count; i++)
            {
                EventJson.Apply(state, Msg($"e{i}", times[i], $$"""{{{Visitor}},"content":"{{i}}"}"""));
            }

            var expected = times.Select((t, i) => (t, i)).OrderBy(x => x.t).Select(x => x.i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return expected.SequenceEqual(state.Messages.Select(m => m.Content.Value!));
        });

    [Fact]
    public void A_late_rating_rerates_and_the_rebuilt_conversation_carries_it_with_the_same_metrics()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("e1", 1_000, $$"""{{{Visitor}},"content":"Hello there"}"""));
        EventJson.Apply(state, Msg("e2", 4_000, $$"""{{{Agent}},"content":"Hi"}"""));
        EventJson.Apply(state, EventJson.Of("c", 9_000, "close", "\"close\":{\"by\":\"agent\"}"));
        var first = Build(state);
        var firstJson = ContractJson.SerializeToString(first);

        var result = EventJson.Apply(
            state,
            EventJson.Of("r", 20_000, "rating", "\"rating\":{\"rating\":3,\"ratingDesc\":\"ok\"},\"visitor\":{\"name\":\"Late Name\"}"));
        var second = Build(state);

        Assert.Equal(ApplyResult.Rerated, result);
        Assert.Equal(FinishReason.AgentClose, state.FinishedBy);
        Assert.Equal(3, second.Channel!.Rating.Value);
        Assert.Equal("ok", second.Channel.RatingDesc.Value);
        Assert.Null(first.Channel!.Rating.Value);
        var (a, b) = (first.Channel, second.Channel);
        Assert.Equal(
            (a.IsChat, a.IsMissed, a.IsTriggered, a.IsOffline, a.IsCompleted, a.IsDropped, a.Duration, a.AvgResponse, a.FirstResponse, a.MessagesCount, a.WordsCount),
            (b.IsChat, b.IsMissed, b.IsTriggered, b.IsOffline, b.IsCompleted, b.IsDropped, b.Duration, b.AvgResponse, b.FirstResponse, b.MessagesCount, b.WordsCount));
        Assert.Equal((first.BeginAt, first.EndAt), (second.BeginAt, second.EndAt));
        Assert.Equal(first.Messages!.Count, second.Messages!.Count);
        Assert.Equal("Late Name", second.Visitor.Value!.Name.Value);
        // The conversation built before the rating is not changed by it.
        Assert.Equal(firstJson, ContractJson.SerializeToString(first));
    }

    [Fact]
    public void A_second_late_rating_rerates_again()
    {
        var state = Finished(EventJson.Of("r1", 5, "rating", "\"rating\":{\"rating\":1}"));

        Assert.Equal(ApplyResult.Rerated, EventJson.Apply(state, EventJson.Of("r2", 6, "rating", "\"rating\":{\"rating\":5}")));
        Assert.Equal(5, Build(state).Channel!.Rating.Value);
        Assert.Equal("", Build(state).Channel!.RatingDesc.Value);
    }

    [Theory]
    [InlineData("message", "\"message\":{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"anyone?\"}")]
    [InlineData("page", "\"page\":{\"url\":\"https://a.example/\"}")]
    [InlineData("visitor", "\"visitor\":{\"name\":\"X\"}")]
    [InlineData("close", "\"close\":{\"by\":\"visitor\"}")]
    [InlineData("offline", "\"offline\":{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"anyone?\"}")]
    public void Any_event_but_a_rating_on_a_finished_chat_is_refused_and_changes_nothing(string type, string body)
    {
        var state = Finished();
        var before = ChatStateJson.Serialize(state);

        var result = ChatTracker.Apply(state, EventJson.Of("late", 99_000, type, body), 100_000, out var refusal);

        Assert.Equal(ApplyResult.Refused, result);
        Assert.Equal(
            "chat 55039 of account 208 already finished; only rating events are accepted after a chat finishes",
            refusal);
        Assert.Equal(before, ChatStateJson.Serialize(state));
    }

    [Fact]
    public void An_offline_message_finishes_the_chat_as_offline()
    {
        var state = new ChatState();

        var result = ChatTracker.Apply(
            state,
            EventJson.Of("o", 5_000, "offline", $$"""
                "offline":{{{Visitor}},"name":"Ann","content":"Call me back please"},"visitor":{"name":"Ann","email":"ann@example.com"}
                """),
            6_000,
            out var refusal);

        Assert.Equal(ApplyResult.Finished, result);
        Assert.Null(refusal);
        Assert.Equal(FinishReason.Offline, state.FinishedBy);
        Assert.Equal(6_000, state.FinishedAt);
        var conversation = Build(state);
        Assert.True(conversation.Channel!.IsOffline.Value);
        Assert.False(conversation.Channel.IsMissed.Value);
        Assert.False(conversation.Channel.IsDropped.Value);
        Assert.False(conversation.Channel.IsCompleted.Value);
        Assert.Equal([ConversationKinds.Offline], ConversationKinds.Of(conversation.Channel));
        var message = Assert.Single(conversation.Messages!);
        Assert.Equal(5_000, message.SentAt.Value);
        Assert.Equal("ann@example.com", conversation.Visitor.Value!.Email.Value);
    }

    [Fact]
    public void An_offline_event_on_a_chat_with_messages_finishes_it_as_offline()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("m", 1_000, $$"""{{{Visitor}},"content":"Hello?"}"""));

        var result = EventJson.Apply(state, EventJson.Of("o", 60_000, "offline", $$"""
            "offline":{{{Visitor}},"content":"Nobody here, please email me"}
            """));

        Assert.Equal(ApplyResult.Finished, result);
        var conversation = Build(state);
        Assert.True(conversation.Channel!.IsOffline.Value);
        Assert.Equal(2, conversation.Messages!.Count);
        Assert.Equal(59, conversation.Channel.Duration.Value);
    }

    [Fact]
    public void Inactivity_drops_an_open_chat_once()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("m1", 1_000, $$"""{{{Visitor}},"content":"Hello"}"""));
        EventJson.Apply(state, Msg("m2", 3_000, $$"""{{{Agent}},"content":"Hi"}"""));

        Assert.True(ChatTracker.FinishForInactivity(state, 500_000));
        Assert.False(ChatTracker.FinishForInactivity(state, 600_000));

        Assert.Equal(FinishReason.Inactivity, state.FinishedBy);
        Assert.Equal(500_000, state.FinishedAt);
        var channel = Build(state).Channel!;
        Assert.True(channel.IsDropped.Value);
        Assert.False(channel.IsCompleted.Value);
        Assert.True(channel.IsChat.Value);
        Assert.Equal([ConversationKinds.Dropped], ConversationKinds.Of(channel));
    }

    [Fact]
    public void Inactivity_does_not_touch_a_closed_chat()
    {
        var state = Finished();

        Assert.False(ChatTracker.FinishForInactivity(state, 1));
        Assert.Equal(FinishReason.VisitorClose, state.FinishedBy);
    }

    [Fact]
    public void A_chat_without_messages_is_not_exported()
    {
        var state = new ChatState();
        EventJson.Apply(state, EventJson.Of("v", 1, "visitor", "\"visitor\":{\"name\":\"Ann\"}"));
        EventJson.Apply(state, EventJson.Of("p", 2, "page", "\"page\":{\"url\":\"https://a.example/\",\"title\":\"A\"}"));
        EventJson.Apply(state, EventJson.Of("r", 3, "rating", "\"rating\":{\"rating\":5}"));
        ChatTracker.FinishForInactivity(state, 10);

        Assert.Null(ConversationBuilder.Build(EventJson.AccountId, EventJson.ChatId, state));
    }

    [Fact]
    public void An_open_chat_cannot_be_built()
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("m", 1, $$"""{{{Visitor}},"content":"Hello"}"""));

        var error = Assert.Throws<InvalidOperationException>(() => ConversationBuilder.Build(1, 2, state));
        Assert.Contains("still open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_built_conversation_shares_nothing_mutable_with_the_state()
    {
        var state = new ChatState();
        EventJson.Apply(state, EventJson.Of("v", 1, "visitor", "\"visitor\":{\"name\":\"Ann\",\"variables\":{\"a\":{\"label\":\"A\",\"value\":1}}}"));
        EventJson.Apply(state, EventJson.Of("p", 2, "page", "\"page\":{\"url\":\"https://a.example/\",\"title\":\"A\"}"));
        EventJson.Apply(state, Msg("m", 3, $$"""{{{Visitor}},"content":"Hello"}"""));
        ChatTracker.FinishForInactivity(state, 10);
        var conversation = Build(state);
        var built = ContractJson.SerializeToString(conversation);
        var kept = ChatStateJson.Serialize(state);

        // Changing the state does not change the built conversation...
        state.Visitor.Name = "Changed";
        state.Visitor.Variables.Value!["a"].Label = "Changed";
        state.Visitor.Variables.Value["b"] = new Variable { Label = "B" };
        state.Paths[0].Title = "Changed";
        state.Paths.Add(new PagePath { Url = "https://b.example/" });
        state.Messages[0].Content = "changed";
        state.Messages.Add(new Message { Content = "more" });
        Assert.Equal(built, ContractJson.SerializeToString(conversation));

        // ...and changing the conversation (normalizing it, say) does not change the state.
        var fresh = ChatStateJson.Deserialize(kept);
        var other = Build(fresh);
        ConversationNormalizer.Normalize(other);
        other.Visitor.Value!.Name = "Changed";
        other.Visitor.Value.Variables.Value!["a"].Label = "Changed";
        other.Paths.Value![0].Title = "Changed";
        other.Messages![0].Content = "changed";
        Assert.Equal(kept, ChatStateJson.Serialize(fresh));
    }

    [Fact]
    public void The_state_does_not_keep_the_events_objects()
    {
        var message = Msg("m", 3, $$"""{{{Visitor}},"content":"Hello"}""");
        var state = new ChatState();
        EventJson.Apply(state, message);

        Assert.NotSame(message.Message, state.Messages[0]);
        Assert.False(message.Message!.SentAt.HasValue);
    }

    [Fact]
    public void An_event_built_without_its_body_is_refused()
    {
        var state = new ChatState();
        var chatEvent = new ChatEvent { Id = "x", AccountId = 1, ChatId = 2, At = 3, Type = ChatEventType.Message };

        var result = ChatTracker.Apply(state, chatEvent, 4, out var refusal);

        Assert.Equal(ApplyResult.Refused, result);
        Assert.Equal("$.message is required for type message", refusal);
        Assert.Empty(state.Messages);
    }

    [Fact]
    public void The_persisted_state_round_trips_exactly()
    {
        var state = new ChatState();
        EventJson.Apply(state, EventJson.Of("v", 1, "visitor", """
            "visitor":{"id":7,"name":"Žofie Nováková","group":null,"groupKey":"old","variables":{
              "n":{"label":"N","value":1.25},"s":{"label":null,"value":"x"},"b":{"value":false},"z":{"label":"Z","value":null}}}
            """));
        EventJson.Apply(state, EventJson.Of("p", 2, "page", "\"page\":{\"url\":\"https://a.example/\",\"title\":null,\"extra\":[1]}"));
        EventJson.Apply(state, Msg("m1", 3_000, $$"""{{{Visitor}},"content":"no name"}"""));
        EventJson.Apply(state, Msg("m2", 4_000, $$"""{{{Visitor}},"name":null,"content":"null name","attachment":{"url":"u"} }"""));
        EventJson.Apply(state, Msg("m3", 5_000, """{"type":"agent","name":"","from":"system","content":"t","triggeredBy":"T"}"""));
        EventJson.Apply(state, EventJson.Of("r", 6_000, "rating", "\"rating\":{\"rating\":4,\"ratingDesc\":\"fine\"}"));
        ChatTracker.Apply(state, EventJson.Of("c", 7_000, "close", "\"close\":{\"by\":\"system\"}"), 8_000, out _);

        var bytes = ChatStateJson.Serialize(state);
        var copy = ChatStateJson.Deserialize(bytes);

        Assert.Equal(bytes, ChatStateJson.Serialize(copy));
        Assert.False(copy.Messages[0].Name.HasValue);
        Assert.True(copy.Messages[1].Name.HasValue);
        Assert.Null(copy.Messages[1].Name.Value);
        Assert.Equal("", copy.Messages[2].Name.Value);
        Assert.Equal("T", copy.Messages[2].TriggeredBy.Value);
        Assert.True(copy.Messages[0].TriggeredBy.HasValue);
        Assert.Null(copy.Messages[0].TriggeredBy.Value);
        Assert.Equal("u", copy.Messages[1].Extra!["attachment"].GetProperty("url").GetString());
        Assert.True(copy.Visitor.Group.HasValue);
        Assert.False(copy.Visitor.Email.HasValue);
        Assert.Equal("Žofie Nováková", copy.Visitor.Name.Value);
        Assert.Equal(1.25, copy.Visitor.Variables.Value!["n"].Value.Value.GetDouble());
        Assert.Equal(JsonValueKind.Null, copy.Visitor.Variables.Value["z"].Value.Value.ValueKind);
        Assert.False(copy.Visitor.Variables.Value["b"].Label.HasValue);
        Assert.True(copy.Rated);
        Assert.Equal(4, copy.Rating);
        Assert.Equal("fine", copy.RatingDesc);
        Assert.Equal(FinishReason.SystemClose, copy.FinishedBy);
        Assert.Equal(8_000, copy.FinishedAt);
        Assert.Equal(ContractJson.SerializeToString(Build(state)), ContractJson.SerializeToString(Build(copy)));
        Assert.Contains("\"finishedBy\":\"SystemClose\"", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_open_state_round_trips()
    {
        var copy = ChatStateJson.Deserialize(ChatStateJson.Serialize(new ChatState()));

        Assert.Empty(copy.Messages);
        Assert.Empty(copy.Paths);
        Assert.NotNull(copy.Visitor);
        Assert.False(copy.Rated);
        Assert.Null(copy.FinishedBy);
        Assert.Null(copy.FinishedAt);
    }

    [Fact]
    public void A_state_with_null_lists_reads_as_empty()
    {
        var copy = ChatStateJson.Deserialize("""{"visitor":null,"paths":null,"messages":null}"""u8);

        Assert.NotNull(copy.Visitor);
        Assert.Empty(copy.Paths);
        Assert.Empty(copy.Messages);
    }

    [Fact]
    public void A_state_that_is_not_json_is_refused()
    {
        Assert.ThrowsAny<JsonException>(() => ChatStateJson.Deserialize("null"u8));
        Assert.ThrowsAny<JsonException>(() => ChatStateJson.Deserialize("{\"messages\":"u8));
    }

    private static ChatEvent Msg(string id, long at, string message, string visitor = "") =>
        EventJson.Of(id, at, "message", $"\"message\":{message}" + (visitor.Length > 0 ? "," + visitor : ""));

    /// <summary>A chat with one visitor message and one agent reply, then the extra events, then closed by the visitor.</summary>
    private static ChatState Finished(params ChatEvent[] events)
    {
        var state = new ChatState();
        EventJson.Apply(state, Msg("f1", 100, $$"""{{{Visitor}},"content":"Hello"}"""));
        foreach (var chatEvent in events)
        {
            EventJson.Apply(state, chatEvent);
        }

        EventJson.Apply(state, Msg("f2", 200, $$"""{{{Agent}},"content":"Hi"}"""));
        return Finish(state);
    }

    private static ChatState Finish(ChatState state)
    {
        Assert.Equal(
            ApplyResult.Finished,
            ChatTracker.Apply(state, EventJson.Of("close", 1_000_000, "close", "\"close\":{\"by\":\"visitor\"}"), 1_000_001, out _));
        return state;
    }

    private static Conversation Build(ChatState state)
    {
        var conversation = ConversationBuilder.Build(EventJson.AccountId, EventJson.ChatId, state);
        Assert.NotNull(conversation);
        return conversation;
    }

    private static JsonNode Json(Conversation conversation) => JsonNode.Parse(ContractJson.Serialize(conversation))!;
}
