using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Sources;

public sealed class EventsApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time);
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Replaying_the_seed_as_events_reproduces_the_sample_byte_for_byte()
    {
        var response = await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        var result = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(10, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());

        var conversation = await _server.Client.GetAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal(HttpStatusCode.OK, conversation.StatusCode);
        Assert.Equal("1", conversation.Headers.GetValues("chatport-conversation-version").Single());
        Assert.Equal(SeedEvents.CompactSample(), await conversation.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Events_in_any_order_within_a_request_are_applied_in_at_order()
    {
        var shuffled = SeedEvents.Events(208, 55039, "seed").Reverse();

        await (await _server.PostJsonAsync("/v1/events", $"[{string.Join(",", shuffled)}]")).ReadJsonAsync(HttpStatusCode.Accepted);

        var body = await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal(SeedEvents.CompactSample(), body);
    }

    [Fact]
    public async Task NDJSON_is_accepted_one_event_a_line()
    {
        var ndjson = string.Join("\n", SeedEvents.Events(208, 55039, "nd")) + "\n";

        var result = await (await _server.PostJsonAsync("/v1/events", ndjson, "application/x-ndjson")).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(10, result.GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/accounts/208/conversations/55039")).StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-ndjson")]
    public async Task An_event_giving_a_key_twice_is_a_400_and_nothing_is_stored(string contentType)
    {
        // With an account key, the scope check and a later reader of the stored event could each see another accountId.
        const string Event = """
            {"id":"dup-1","accountId":309,"accountId":208,"chatId":77,"at":1427470439703,"type":"message","message":{"type":"visitor","from":"visitor:1","content":"Hello"}}
            """;
        var body = contentType == "application/json" ? $"[{Event}]" : Event + "\n";

        var problem = await (await _server.PostJsonAsync("/v1/events", body, contentType)).ReadJsonAsync(HttpStatusCode.BadRequest);

        Assert.Contains("accountId", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/77")).StatusCode);
        var again = await (await _server.PostJsonAsync("/v1/events", body.Replace("\"accountId\":309,", "", StringComparison.Ordinal), contentType))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, again.GetProperty("accepted").GetInt32()); // the refused one left no trace: not a duplicate
    }

    [Fact]
    public async Task A_repeated_id_is_a_duplicate_and_changes_nothing()
    {
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var again = await (await _server.PostJsonAsync("/v1/events", SeedEvents.All())).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(10, again.GetProperty("duplicates").GetInt32());
        var conversation = await _server.Client.GetAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal("1", conversation.Headers.GetValues("chatport-conversation-version").Single());
    }

    [Fact]
    public async Task A_late_rating_makes_a_new_version_of_the_same_conversation()
    {
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var late = await _server.PostJsonAsync("/v1/events",
            """[{"id":"late-rating","accountId":208,"chatId":55039,"at":1427470500000,"type":"rating","rating":{"rating":2,"ratingDesc":"slow"}}]""");
        await late.ReadJsonAsync(HttpStatusCode.Accepted);

        var response = await _server.Client.GetAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal("2", response.Headers.GetValues("chatport-conversation-version").Single());
        var channel = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["channel"]!;
        Assert.Equal(2, (int)channel["rating"]!);
        Assert.Equal("slow", (string?)channel["ratingDesc"]);
        Assert.Equal(14, (int)channel["avgResponse"]!);
        Assert.True((bool)channel["isCompleted"]!);
    }

    [Fact]
    public async Task A_message_for_a_finished_chat_is_refused_and_the_chat_is_unchanged()
    {
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var response = await _server.PostJsonAsync("/v1/events",
            """[{"id":"after-close","accountId":208,"chatId":55039,"at":1427470490000,"type":"message","message":{"type":"visitor","from":"visitor:x","content":"hello?"}}]""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("finished", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("after-close", problem.GetProperty("errors")[0].GetProperty("id").GetString());
        Assert.Equal(SeedEvents.CompactSample(), await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039"));
    }

    [Fact]
    public async Task A_refused_event_beside_good_ones_is_listed_and_the_good_ones_are_kept()
    {
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());

        var response = await _server.PostJsonAsync("/v1/events", """
            [{"id":"other-1","accountId":208,"chatId":1,"at":1000,"type":"message","message":{"type":"visitor","from":"visitor:y","content":"hi"}},
             {"id":"after-close-2","accountId":208,"chatId":55039,"at":1427470490000,"type":"message","message":{"type":"visitor","from":"visitor:x","content":"hello?"}}]
            """);

        var result = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("rejected").GetInt32());
        Assert.Equal(1, result.GetProperty("errors")[0].GetProperty("index").GetInt32());
    }

    [Theory]
    [InlineData("""[{"id":"a","accountId":208,"chatId":9,"at":1,"type":"typing"}]""", "type")]
    [InlineData("""[{"id":"a","accountId":208,"at":1,"type":"message","message":{"type":"visitor","content":"x"}}]""", "chatId")]
    [InlineData("""[{"accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}]""", "id")]
    [InlineData("""[{"id":"a","accountId":208,"chatId":9,"at":1,"type":"message"}]""", "message")]
    [InlineData("""[{"id":"a","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}, 42]""", "")]
    [InlineData("""{"not":"an event"}""", "")]
    [InlineData("""[1,2""", "not valid JSON")]
    [InlineData("""[]""", "no event")]
    public async Task An_invalid_event_makes_the_request_a_400_and_stores_nothing(string body, string expected)
    {
        var response = await _server.PostJsonAsync("/v1/events", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The valid event beside the bad one was not stored either: the same id is new afterwards.
        var retry = await _server.PostJsonAsync("/v1/events", """[{"id":"a","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}]""");
        Assert.Equal(1, (await retry.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task An_event_for_an_unknown_account_is_refused_with_how_to_fix_it()
    {
        var response = await _server.PostJsonAsync("/v1/events", SeedEvents.All(accountId: 999));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("PUT /v1/accounts/999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_10_MB_body_is_a_413_and_the_server_stays_healthy()
    {
        await _server.PostJsonAsync("/v1/events", SeedEvents.All());
        var huge = "[" + string.Join(",", Enumerable.Repeat("""{"id":"x","accountId":208,"chatId":1,"at":1,"type":"page","page":{"url":"http://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}""", 80_000)) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 10_000_000);

        var response = await _server.PostJsonAsync("/v1/events", huge);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/accounts/208/conversations/55039")).StatusCode);
    }

    [Fact]
    public async Task Events_need_a_key()
    {
        using var anonymous = _server.NewClient(null);

        var response = await anonymous.PostAsync("/v1/events", new StringContent(SeedEvents.All(), Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    // Issue 17: the error list is bounded, counts come before validation, strings that are not text are 400s.

    private const string PageEvent = """{"id":"ok","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}""";

    [Fact]
    public async Task A_body_of_more_events_than_a_request_may_hold_is_refused_at_once_with_the_limit()
    {
        // The probe's body: 5 MiB of zeros, an "event" each, answered with one error apiece (208 MB).
        var zeros = "[" + string.Join(",", Enumerable.Repeat("0", 2_000_000)) + "]";

        var response = await _server.PostJsonAsync("/v1/events", zeros);
        // Without the bound the answer is hundreds of megabytes: compare the status alone first, not the body.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2000000 events in one request; the limit is 10000 (Chatport:Events:MaxEventsPerRequest)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("errors", out _));
        Assert.True(response.Content.Headers.ContentLength < 2_000, $"{response.Content.Headers.ContentLength} bytes");
    }

    [Fact]
    public async Task An_ndjson_body_of_more_lines_than_a_request_may_hold_is_refused_at_once()
    {
        var lines = string.Join("\n", Enumerable.Repeat("0", 10_001));

        var problem = await (await _server.PostJsonAsync("/v1/events", lines, "application/x-ndjson")).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("10001 events in one request; the limit is 10000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-ndjson")]
    public async Task Many_invalid_events_list_the_first_100_and_count_them_all(string contentType)
    {
        var items = Enumerable.Repeat("0", 5_000).Prepend(PageEvent);
        var body = contentType == "application/json" ? "[" + string.Join(",", items) + "]" : string.Join("\n", items);

        var response = await _server.PostJsonAsync("/v1/events", body, contentType);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(5_000, problem.GetProperty("errorCount").GetInt32());
        Assert.Equal(1, problem.GetProperty("errors")[0].GetProperty("index").GetInt32());
        Assert.Equal(100, problem.GetProperty("errors")[99].GetProperty("index").GetInt32());
        Assert.StartsWith("5000 event(s) are not valid (the first 100 are listed in errors); nothing was stored.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(response.Content.Headers.ContentLength < 20_000, $"{response.Content.Headers.ContentLength} bytes");
    }

    [Fact]
    public async Task Events_a_chat_refuses_are_listed_up_to_100_and_counted()
    {
        var unknown = Enumerable.Range(0, 150).Select(i => $$$"""{"id":"u{{{i}}}","accountId":999,"chatId":{{{i + 1}}},"at":1,"type":"page","page":{"url":"u"}}""");

        var problem = await (await _server.PostJsonAsync("/v1/events", "[" + string.Join(",", unknown) + "]")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(150, problem.GetProperty("errorCount").GetInt32());
        Assert.Contains("None of the 150 event(s) was accepted (the first 100 are listed in errors)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_for_another_account_are_listed_up_to_100_and_counted()
    {
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "platform" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        using var client = _server.NewClient(key);
        var foreign = Enumerable.Range(0, 150).Select(i => $$$"""{"id":"f{{{i}}}","accountId":309,"chatId":{{{i + 1}}},"at":1,"type":"page","page":{"url":"u"}}""");

        var problem = await (await client.PostAsync("/v1/events", new StringContent("[" + string.Join(",", foreign) + "]", Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(150, problem.GetProperty("errorCount").GetInt32());
    }

    public static TheoryData<string, byte[], string, string> NotText()
    {
        static byte[] Message(byte[] content, string more = "") =>
            [.. "{\"id\":\"t\",\"accountId\":208,\"chatId\":9,\"at\":1,\"type\":\"message\",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:x\",\"content\":\""u8, .. content, .. Encoding.UTF8.GetBytes($"\"{more}}}}}")];
        return new()
        {
            { "a lone surrogate", Message("\\ud800"u8.ToArray()), "application/json", "$.message.content is not text" },
            { "a lone surrogate, NDJSON", Message("\\udfff"u8.ToArray()), "application/x-ndjson", "$.message.content is not text" },
            { "invalid UTF-8", Message([0xC3, 0x28]), "application/json", "$.message.content is not text: it holds bytes that are not UTF-8" },
            { "invalid UTF-8, NDJSON", Message([0xFF]), "application/x-ndjson", "$.message.content is not text: it holds bytes that are not UTF-8" },
            { "in a field the tracker keeps as it is", Message("hi"u8.ToArray(), ",\"extra\":\"\\ud800\""), "application/json", "$.message.extra is not text" },
            { "in a key", Encoding.UTF8.GetBytes("""{"id":"t","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u","\ud800":1}}"""), "application/json", "A key of $.page is not text" },
            { "in the id", Encoding.UTF8.GetBytes("""{"id":"\ud800","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}"""), "application/json", "$.id is not text" },
        };
    }

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task A_string_that_is_not_text_is_a_400_naming_its_path_and_stores_nothing(string what, byte[] body, string contentType, string expected)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);

        var problem = await (await _server.Client.PostAsync("/v1/events", content)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("detail").GetString()!.Contains(expected, StringComparison.Ordinal), $"{what}: {problem}");
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/9")).StatusCode);
        var retry = await _server.PostJsonAsync("/v1/events", """[{"id":"t","accountId":208,"chatId":9,"at":1,"type":"page","page":{"url":"u"}}]""");
        Assert.Equal(1, (await retry.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Escaped_surrogate_pairs_are_text_and_kept()
    {
        var body = """[{"id":"e","accountId":208,"chatId":9,"at":1,"type":"message","message":{"type":"visitor","from":"visitor:x","content":"hi \ud83d\ude00","extra":"\uD83D\uDE00"}},{"id":"c","accountId":208,"chatId":9,"at":2,"type":"close","close":{"by":"visitor"}}]""";

        Assert.Equal(2, (await (await _server.PostJsonAsync("/v1/events", body)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32());

        var conversation = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/208/conversations/9"))!;
        Assert.Equal("hi 😀", (string?)conversation["messages"]![0]!["content"]);
        Assert.Equal("😀", (string?)conversation["messages"]![0]!["extra"]);
    }

    [Fact]
    public async Task Each_event_is_stored_as_the_bytes_sent_even_when_one_request_follows_a_larger_one()
    {
        // The body is read into a pooled buffer that the next request may reuse: a large request, then a small
        // one, and each event kept must be its own line's bytes (spacing, escapes and UTF-8 as sent).
        var first = Enumerable.Range(0, 400).Select(i =>
            $$"""{ "id": "big-{{i}}", "accountId": 208, "chatId": {{1000 + i}}, "at": 1, "type": "message", "message": {"type":"visitor","from":"visitor:v","content":"caf\u00e9 café {{new string('x', 300)}}"} }""").ToList();
        var second = new[] { """{"id":"small","accountId":208,"chatId":7,"at":1,"type":"message","message":{"type":"visitor","from":"visitor:w","content":"Dobrý den"}}""" };

        foreach (var lines in new[] { first, second.ToList() })
        {
            var result = await (await _server.PostJsonAsync("/v1/events", string.Join("\n", lines), "application/x-ndjson")).ReadJsonAsync(HttpStatusCode.Accepted);
            Assert.Equal(lines.Count, result.GetProperty("accepted").GetInt32());
        }

        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "chatport.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        foreach (var (id, sent) in first.Select((l, i) => ($"big-{i}", l)).Append(("small", second[0])))
        {
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT body FROM events WHERE account_id = 208 AND id = $id";
            command.Parameters.AddWithValue("$id", id);
            Assert.Equal(sent, Encoding.UTF8.GetString((byte[])(await command.ExecuteScalarAsync())!));
        }
    }
}
