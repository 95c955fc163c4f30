using System.Text.Json;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

public sealed class ChatEventParserTests
{
    private const string Head = "\"id\":\"e1\",\"accountId\":208,\"chatId\":55039,\"at\":1427470439703";
    private const string VisitorMessage = "{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"Hello\"}";

    public static TheoryData<string, string> BadEvents => new()
    {
        // Not an event at all.
        { "[]", "$ must be an event (a JSON object), not an array" },
        { "null", "$ must be an event (a JSON object), not null" },
        { "\"event\"", "$ must be an event (a JSON object), not \"event\"" },
        { "42", "$ must be an event (a JSON object), not 42" },

        // The envelope.
        { "{\"accountId\":208,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.id is required (a non-empty string of at most 200 characters)" },
        { "{\"id\":7,\"accountId\":208,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.id must be a non-empty string of at most 200 characters, not 7" },
        { "{\"id\":\"\",\"accountId\":208,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.id must be a non-empty string of at most 200 characters, not \"\"" },
        { $"{{\"id\":\"{new string('x', 201)}\",\"accountId\":208,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{{}}}}", "$.id must be a non-empty string of at most 200 characters, not \"xxxx" },
        { "{\"id\":\"e1\",\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.accountId is required (an integer > 0)" },
        { "{\"id\":\"e1\",\"accountId\":\"208\",\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.accountId must be an integer > 0, not \"208\"" },
        { "{\"id\":\"e1\",\"accountId\":208.5,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.accountId must be an integer > 0, not 208.5" },
        { "{\"id\":\"e1\",\"accountId\":-3,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.accountId must be an integer > 0, not -3" },
        { "{\"id\":\"e1\",\"accountId\":208,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.chatId is required (an integer > 0)" },
        { "{\"id\":\"e1\",\"accountId\":208,\"chatId\":0,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.chatId must be an integer > 0, not 0" },
        { "{\"id\":\"e1\",\"accountId\":208,\"chatId\":99999999999999999999,\"at\":0,\"type\":\"visitor\",\"visitor\":{}}", "$.chatId must be an integer > 0, not 99999999999999999999" },
        { "{\"id\":\"e1\",\"accountId\":208,\"chatId\":1,\"type\":\"visitor\",\"visitor\":{}}", "$.at is required (an integer >= 0, epoch milliseconds)" },
        { "{\"id\":\"e1\",\"accountId\":208,\"chatId\":1,\"at\":-1,\"type\":\"visitor\",\"visitor\":{}}", "$.at must be an integer >= 0, epoch milliseconds, not -1" },
        { "{\"id\":\"e1\",\"accountId\":208,\"chatId\":1,\"at\":\"2015-03-27\",\"type\":\"visitor\",\"visitor\":{}}", "$.at must be an integer >= 0, epoch milliseconds, not \"2015-03-27\"" },
        { $"{{{Head},\"visitor\":{{}}}}", "$.type is required (one of visitor, page, message, rating, close, offline)" },
        { $"{{{Head},\"type\":\"typing\"}}", "$.type must be one of visitor, page, message, rating, close, offline, not \"typing\"" },
        { $"{{{Head},\"type\":\"Message\",\"message\":{VisitorMessage}}}", "$.type must be one of visitor, page, message, rating, close, offline, not \"Message\"" },
        { $"{{{Head},\"type\":3}}", "$.type must be one of visitor, page, message, rating, close, offline, not 3" },

        // The visitor object.
        { $"{{{Head},\"type\":\"visitor\"}}", "$.visitor is required for type visitor" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":null}}", "$.visitor is required for type visitor" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":[]}}", "$.visitor must be an object of visitor fields, not an array" },
        { $"{{{Head},\"type\":\"message\",\"message\":{VisitorMessage},\"visitor\":\"Ann\"}}", "$.visitor must be an object of visitor fields, not \"Ann\"" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"id\":\"27671\"}}}}", "$.visitor.id must be an integer or null, not \"27671\"" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"name\":5}}}}", "$.visitor.name must be a string or null, not 5" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"referer\":false}}}}", "$.visitor.referer must be a string or null, not false" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"variables\":[]}}}}", "$.visitor.variables must be an object of {label, value} objects, not an array" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"variables\":{{\"plan\":\"pro\"}}}}}}", "$.visitor.variables.plan must be an object {label, value}, not \"pro\"" },
        { $"{{{Head},\"type\":\"visitor\",\"visitor\":{{\"variables\":{{\"user id\":{{\"label\":1}}}}}}}}", "$.visitor.variables['user id'].label must be a string or null, not 1" },

        // Bodies.
        { $"{{{Head},\"type\":\"message\"}}", "$.message is required for type message" },
        { $"{{{Head},\"type\":\"message\",\"message\":null}}", "$.message is required for type message" },
        { $"{{{Head},\"type\":\"message\",\"offline\":{VisitorMessage}}}", "$.message is required for type message" },
        { $"{{{Head},\"type\":\"message\",\"message\":\"Hello\"}}", "$.message must be an object, not \"Hello\"" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"from\":\"visitor:v1\",\"content\":\"Hello\"}}}}", "$.message.type is required (one of visitor, agent, system)" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"bot\",\"from\":\"system\",\"content\":\"Hello\"}}}}", "$.message.type must be one of visitor, agent, system, not \"bot\"" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"content\":\"Hello\"}}}}", "$.message.from is required" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":12,\"content\":\"Hello\"}}}}", "$.message.from must be a string" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":\"visitor:v1\"}}}}", "$.message.content is required (a string)" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":null}}}}", "$.message.content must be a string, not null" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"Hi\",\"sentAt\":\"now\"}}}}", "$.message.sentAt must be an integer >= 0" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"Hi\",\"sentAt\":-5}}}}", "$.message.sentAt must be an integer >= 0, epoch milliseconds (or absent for the event's at), not -5" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"visitor\",\"from\":\"visitor:v1\",\"content\":\"Hi\",\"name\":[]}}}}", "$.message.name must be a string or null, not an array" },
        { $"{{{Head},\"type\":\"message\",\"message\":{{\"type\":\"agent\",\"from\":\"system\",\"content\":\"Hi\",\"triggeredBy\":true}}}}", "$.message.triggeredBy must be a string or null, not true" },
        { $"{{{Head},\"type\":\"offline\"}}", "$.offline is required for type offline" },
        { $"{{{Head},\"type\":\"offline\",\"message\":{VisitorMessage}}}", "$.offline is required for type offline" },
        { $"{{{Head},\"type\":\"offline\",\"offline\":{{\"type\":\"agent\",\"from\":\"agent:3\",\"content\":\"Hi\"}}}}", "$.offline.type must be \"visitor\" (an offline message is the visitor's), not \"agent\"" },
        { $"{{{Head},\"type\":\"offline\",\"offline\":{{\"type\":\"system\",\"from\":\"system\",\"content\":\"Hi\"}}}}", "$.offline.type must be \"visitor\"" },
        { $"{{{Head},\"type\":\"offline\",\"offline\":{{\"from\":\"visitor:v1\",\"content\":\"Hi\"}}}}", "$.offline.type is required (\"visitor\"" },
        { $"{{{Head},\"type\":\"page\"}}", "$.page is required for type page" },
        { $"{{{Head},\"type\":\"page\",\"page\":[\"https://a.example/\"]}}", "$.page must be an object, not an array" },
        { $"{{{Head},\"type\":\"page\",\"page\":{{\"title\":\"A\"}}}}", "$.page.url is required (a string)" },
        { $"{{{Head},\"type\":\"page\",\"page\":{{\"url\":null}}}}", "$.page.url must be a string, not null" },
        { $"{{{Head},\"type\":\"page\",\"page\":{{\"url\":\"https://a.example/\",\"title\":{{}}}}}}", "$.page.title must be a string or null, not an object" },
        { $"{{{Head},\"type\":\"rating\"}}", "$.rating is required for type rating" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":5}}", "$.rating must be an object, not 5" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{}}}}", "$.rating.rating is required (an integer)" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":\"5\"}}}}", "$.rating.rating must be an integer, not \"5\"" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":4.5}}}}", "$.rating.rating must be an integer, not 4.5" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":null}}}}", "$.rating.rating must be an integer, not null" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":3.0}}}}", "$.rating.rating must be an integer, not 3.0" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":1e20}}}}", "$.rating.rating must be an integer, not 1e20" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":2147483648}}}}", "$.rating.rating must be an integer from -2147483648 to 2147483647, not 2147483648" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":-99999999999}}}}", "$.rating.rating must be an integer from -2147483648 to 2147483647, not -99999999999" },
        { $"{{{Head},\"type\":\"rating\",\"rating\":{{\"rating\":5,\"ratingDesc\":5}}}}", "$.rating.ratingDesc must be a string or null, not 5" },
        { $"{{{Head},\"type\":\"close\"}}", "$.close is required for type close" },
        { $"{{{Head},\"type\":\"close\",\"close\":\"visitor\"}}", "$.close must be an object, not \"visitor\"" },
        { $"{{{Head},\"type\":\"close\",\"close\":{{}}}}", "$.close.by is required (one of visitor, agent, system)" },
        { $"{{{Head},\"type\":\"close\",\"close\":{{\"by\":\"admin\"}}}}", "$.close.by must be one of visitor, agent, system, not \"admin\"" },
        { $"{{{Head},\"type\":\"close\",\"close\":{{\"by\":\"agent\",\"name\":3}}}}", "$.close.name must be a string or null, not 3" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void A_bad_event_is_refused_with_where_and_why(string json, string expected)
    {
        var error = EventJson.Error(json);

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_wrong_value_is_shortened_in_the_error()
    {
        var error = EventJson.Error($"{{{Head},\"type\":\"{new string('t', 500)}\"}}");

        Assert.True(error.Length < 200, error);
        Assert.EndsWith("…", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_id_is_accepted()
    {
        var id = new string('x', ChatEventParser.MaxIdLength);

        var chatEvent = EventJson.Parse($"{{\"id\":\"{id}\",\"accountId\":1,\"chatId\":1,\"at\":0,\"type\":\"visitor\",\"visitor\":{{}}}}");

        Assert.Equal(id, chatEvent.Id);
        Assert.Equal(0, chatEvent.At);
    }

    [Fact]
    public void A_visitor_event()
    {
        var e = EventJson.Parse($$"""
            {{{Head}},"type":"visitor","visitor":{"id":27671,"name":"Dusan Kmet","group":null,"groupKey":"sales",
             "variables":{"chatId":{"label":"Chat ID","value":208},"flag":{"value":true,"hint":"x"} } },"unknown":1}
            """);

        Assert.Equal(("e1", 208L, 55039L, 1427470439703L, ChatEventType.Visitor), (e.Id, e.AccountId, e.ChatId, e.At, e.Type));
        var visitor = e.Visitor!;
        Assert.Equal(27671, visitor.Id.Value);
        Assert.Equal("Dusan Kmet", visitor.Name.Value);
        Assert.True(visitor.Group.HasValue);
        Assert.Null(visitor.Group.Value);
        Assert.False(visitor.Email.HasValue);
        Assert.Equal("sales", visitor.Extra!["groupKey"].GetString());
        Assert.Equal(208, visitor.Variables.Value!["chatId"].Value.Value.GetInt32());
        Assert.Equal("Chat ID", visitor.Variables.Value["chatId"].Label.Value);
        Assert.False(visitor.Variables.Value["flag"].Label.HasValue);
        Assert.Equal("x", visitor.Variables.Value["flag"].Extra!["hint"].GetString());
        Assert.Null(e.Message);
        Assert.Null(e.Page);
        Assert.Null(e.Rating);
        Assert.Null(e.CloseBy);
    }

    [Fact]
    public void A_null_variables_object_merges_nothing()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"visitor","visitor":{"variables":null} }""");

        Assert.False(e.Visitor!.Variables.HasValue);
    }

    [Fact]
    public void A_page_event()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"page","page":{"url":"https://a.example/","title":"A","ref":"x"} }""");

        Assert.Equal(ChatEventType.Page, e.Type);
        Assert.Equal("https://a.example/", e.Page!.Url.Value);
        Assert.Equal("A", e.Page.Title.Value);
        Assert.Equal("x", e.Page.Extra!["ref"].GetString());
    }

    [Fact]
    public void A_message_event_keeps_absent_keys_absent()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"message","message":{{VisitorMessage}},"visitor":{"name":"Ann"} }""");

        Assert.Equal(ChatEventType.Message, e.Type);
        var m = e.Message!;
        Assert.Equal(("visitor", "visitor:v1", "Hello"), (m.Type.Value, m.From.Value, m.Content.Value));
        Assert.False(m.Name.HasValue);
        Assert.False(m.SentAt.HasValue);
        Assert.False(m.TriggeredBy.HasValue);
        Assert.Null(m.Extra);
        Assert.Equal("Ann", e.Visitor!.Name.Value);
    }

    [Fact]
    public void A_message_event_with_every_field()
    {
        var e = EventJson.Parse($$"""
            {{{Head}},"type":"message","message":{"type":"agent","name":null,"from":"system","content":"Welcome",
             "sentAt":1427470449706,"triggeredBy":"Test Trigger","email":"old@example.com"} }
            """);

        var m = e.Message!;
        Assert.True(m.Name.HasValue);
        Assert.Null(m.Name.Value);
        Assert.Equal(1427470449706, m.SentAt.Value);
        Assert.Equal("Test Trigger", m.TriggeredBy.Value);
        Assert.Equal("old@example.com", m.Extra!["email"].GetString());
    }

    [Fact]
    public void A_null_sentAt_means_the_events_at()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"message","message":{"type":"visitor","from":"visitor:v1","content":"Hi","sentAt":null} }""");

        Assert.False(e.Message!.SentAt.HasValue);
    }

    [Theory]
    [InlineData("{\"rating\":5}", 5, null)]
    [InlineData("{\"rating\":1,\"ratingDesc\":\"slow\"}", 1, "slow")]
    [InlineData("{\"rating\":0,\"ratingDesc\":null}", 0, null)]
    [InlineData("{\"rating\":-2147483648}", int.MinValue, null)]
    public void A_rating_event(string body, int rating, string? ratingDesc)
    {
        var e = EventJson.Parse($"{{{Head},\"type\":\"rating\",\"rating\":{body}}}");

        Assert.Equal(ChatEventType.Rating, e.Type);
        Assert.Equal(rating, e.Rating);
        Assert.Equal(ratingDesc, e.RatingDesc);
    }

    [Theory]
    [InlineData("{\"by\":\"visitor\"}", CloseBy.Visitor, null)]
    [InlineData("{\"by\":\"agent\",\"name\":\"John Doe\"}", CloseBy.Agent, "John Doe")]
    [InlineData("{\"by\":\"system\",\"name\":null}", CloseBy.System, null)]
    public void A_close_event(string body, CloseBy by, string? name)
    {
        var e = EventJson.Parse($"{{{Head},\"type\":\"close\",\"close\":{body}}}");

        Assert.Equal(ChatEventType.Close, e.Type);
        Assert.Equal(by, e.CloseBy);
        Assert.Equal(name, e.CloseName);
    }

    [Fact]
    public void An_offline_event()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"offline","offline":{{VisitorMessage}},"visitor":{"email":"ann@example.com"} }""");

        Assert.Equal(ChatEventType.Offline, e.Type);
        Assert.Equal("visitor", e.Message!.Type.Value);
        Assert.Equal("ann@example.com", e.Visitor!.Email.Value);
    }

    [Fact]
    public void The_bodies_of_other_types_are_ignored()
    {
        var e = EventJson.Parse($$"""{{{Head}},"type":"page","page":{"url":"u"},"message":"not checked","rating":{"rating":"x"} }""");

        Assert.NotNull(e.Page);
        Assert.Null(e.Message);
        Assert.Null(e.Rating);
    }

    [Fact]
    public void A_parsed_event_outlives_its_document()
    {
        ChatEvent e;
        using (var document = JsonDocument.Parse($$"""
            {{{Head}},"type":"message","message":{"type":"visitor","from":"visitor:v1","content":"Hi","meta":{"a":[1,2]} },
             "visitor":{"variables":{"v":{"label":"V","value":{"deep":true} } } } }
            """))
        {
            Assert.True(ChatEventParser.TryParse(document.RootElement, out var parsed, out var error), error);
            e = parsed;
        }

        Assert.Equal("""{"a":[1,2]}""", e.Message!.Extra!["meta"].GetRawText());
        Assert.True(e.Visitor!.Variables.Value!["v"].Value.Value.GetProperty("deep").GetBoolean());
    }
}
