using System.Net;
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
}
