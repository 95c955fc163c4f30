using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Conversations;

public sealed class ImportAndReadTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", name));

    private static string Conversation(long chatId, long endAt, string kindFlags)
    {
        var node = JsonNode.Parse(Sample("seed-sample.json"))!;
        node["channel"]!["id"] = chatId;
        node["endAt"] = endAt;
        foreach (var flag in new[] { "isCompleted", "isMissed", "isOffline", "isDropped" })
        {
            node["channel"]![flag] = kindFlags.Contains(flag, StringComparison.Ordinal);
        }
        return node.ToJsonString();
    }

    [Fact]
    public async Task The_seed_sample_imports_and_reads_back_as_the_same_document()
    {
        var result = await (await _server.PostJsonAsync("/v1/conversations", Sample("seed-sample.json"))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        Assert.Equal("created", result.GetProperty("items")[0].GetProperty("outcome").GetString());
        var body = await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Sample("seed-sample.json")), JsonNode.Parse(body)), body);
    }

    [Fact]
    public async Task A_current_generation_conversation_reads_back_as_the_exact_bytes_it_came_as()
    {
        var body = Conversation(31, 1000, "isCompleted").Replace(",\"", ", \"", StringComparison.Ordinal).Replace("{", "{\n  ", StringComparison.Ordinal)
            .Insert(1, "\"zUnknown\":{\"b\":2,\"a\":1.50},");
        await (await _server.PostJsonAsync("/v1/conversations", body)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(body, await _server.Client.GetStringAsync("/v1/accounts/208/conversations/31"));
    }

    [Fact]
    public async Task The_same_body_again_is_a_duplicate_and_a_changed_one_a_new_version()
    {
        await _server.PostJsonAsync("/v1/conversations", Sample("seed-sample.json"));

        var again = await (await _server.PostJsonAsync("/v1/conversations", Sample("seed-sample.json"))).ReadJsonAsync(HttpStatusCode.OK);
        var changed = JsonNode.Parse(Sample("seed-sample.json"))!;
        changed["channel"]!["rating"] = 1;
        var updated = await (await _server.PostJsonAsync("/v1/conversations", changed.ToJsonString())).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("duplicate", again.GetProperty("items")[0].GetProperty("outcome").GetString());
        Assert.Equal("newVersion", updated.GetProperty("items")[0].GetProperty("outcome").GetString());
        var response = await _server.Client.GetAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal("2", response.Headers.GetValues("chatport-conversation-version").Single());
        Assert.Equal(1, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["channel"]!["rating"]!);
    }

    [Fact]
    public async Task The_older_generation_reads_back_normalized()
    {
        await (await _server.PostJsonAsync("/v1/conversations", Sample("older-generation.json"))).ReadJsonAsync(HttpStatusCode.OK);

        var body = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/208/conversations/55039"))!;

        Assert.Equal("sales", (string?)body["visitor"]!["group"]);
        Assert.False(body["visitor"]!.AsObject().ContainsKey("groupKey"));
        Assert.Equal("visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015", (string?)body["messages"]![0]!["from"]);
        Assert.False(body["messages"]![0]!.AsObject().ContainsKey("email"));
    }

    [Fact]
    public async Task An_array_imports_all_or_nothing()
    {
        var bad = $"[{Conversation(1, 1000, "isCompleted")},{{\"channel\":{{\"id\":\"2\"}},\"messages\":[],\"accountId\":208}}]";

        var problem = await (await _server.PostJsonAsync("/v1/conversations", bad)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("$.channel.id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, problem.GetProperty("errors")[0].GetProperty("index").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/1")).StatusCode);
    }

    [Fact]
    public void Each_element_of_an_array_is_kept_as_the_exact_bytes_it_came_as()
    {
        // The array is read in one pass and each element's bytes are sliced out: spacing, escapes, key order and
        // unknown fields must survive exactly, for the first element, a middle one and the last.
        var one = Conversation(11, 1000, "isCompleted").Replace("{\"", "{ \"", StringComparison.Ordinal);
        var two = "{\"accountId\":208,\n  \"channel\" : {\"id\":12,\"isCompleted\":true,\"extra\":{\"deep\":[1,2.50,\"\\u00e9\"]}},\"messages\":[],\"zz\":null}";
        var three = Conversation(13, 3000, "isMissed");
        var body = $" [\n{one} ,\t{two},{three}\n] \n";

        var (items, errors, _, _) = Chatport.Sources.Import.ImportReader.Read(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Empty(errors.First);
        Assert.Equal([one, two, three], items.Select(i => System.Text.Encoding.UTF8.GetString(i.Raw.Span)));
        Assert.Equal([0, 1, 2], items.Select(i => i.Index));
        Assert.Equal([11L, 12L, 13L], items.Select(i => i.ChatId));
    }

    [Fact]
    public void An_array_mixing_generations_keeps_each_elements_bytes_head_and_what_destinations_get()
    {
        // The current-generation elements are read by the scanner; the older one is parsed in full and normalized
        // for destinations. Both kinds of element must come out with their own bytes, ids, kinds and times.
        var older = JsonNode.Parse(Sample("older-generation.json"))!;
        older["channel"]!["id"] = 22;
        older["endAt"] = 2000;
        var one = Conversation(21, 1000, "isMissed");
        var two = older.ToJsonString();
        var three = Conversation(23, 3000, "isOffline");

        var (items, errors, _, _) = Chatport.Sources.Import.ImportReader.Read(System.Text.Encoding.UTF8.GetBytes($"[{one},{two},{three}]"));

        Assert.Empty(errors.First);
        Assert.Equal([one, two, three], items.Select(i => System.Text.Encoding.UTF8.GetString(i.Raw.Span)));
        Assert.Equal([21L, 22L, 23L], items.Select(i => i.ChatId));
        Assert.Equal([1000L, 2000L, 3000L], items.Select(i => i.Head.EndAt.Value));
        Assert.Equal(["missed", "completed", "offline"], items.Select(i => string.Join(',', i.Head.Kinds)));
        Assert.Null(items[0].ExportBody);
        Assert.Null(items[2].ExportBody);
        var normalized = JsonNode.Parse(items[1].ExportBody!.Value.Span)!;
        Assert.Equal("sales", (string?)normalized["visitor"]!["group"]);
    }

    [Theory]
    [InlineData("[{0}] x", "not valid JSON")]
    [InlineData("[{0},7]", "JSON object")]
    [InlineData("[{0},{{\"channel\":{{\"id\":2}},\"messages\":[]}}]", "accountId")]
    [InlineData("[{0},{{\"accountId\":208,\"channel\":{{\"id\":2}},\"messages\":[{{\"sentAt\":\"yesterday\"}}]}}]", "$.messages[0].sentAt")]
    [InlineData("[]", "empty")]
    [InlineData("[{0}", "not valid JSON")]
    public async Task An_array_that_is_not_all_valid_is_refused_as_precisely_as_before(string template, string expected)
    {
        var body = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Conversation(21, 1000, "isCompleted"));

        var problem = await (await _server.PostJsonAsync("/v1/conversations", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/21")).StatusCode);
    }

    [Theory]
    [InlineData("""{"channel":{"id":1},"messages":[]}""", "accountId")]
    [InlineData("""{"accountId":777,"channel":{"id":1},"messages":[]}""", "PUT /v1/accounts/777")]
    [InlineData("""{"accountId":208,"channel":{"id":1}}""", "$.messages")]
    [InlineData("not json", "not valid JSON")]
    public async Task Invalid_imports_are_400s_that_say_why(string body, string expected)
    {
        var problem = await (await _server.PostJsonAsync("/v1/conversations", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_filters_by_kind_and_time_and_pages()
    {
        var items = new List<string>();
        for (var i = 1; i <= 7; i++)
        {
            items.Add(Conversation(i, i * 1000, i % 2 == 0 ? "isMissed" : "isCompleted"));
        }
        await (await _server.PostJsonAsync("/v1/conversations", $"[{string.Join(",", items)}]")).ReadJsonAsync(HttpStatusCode.OK);

        var missed = await (await _server.Client.GetAsync("/v1/accounts/208/conversations?kind=missed")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([6L, 4L, 2L], missed.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("chatId").GetInt64()));

        var window = await (await _server.Client.GetAsync("/v1/accounts/208/conversations?from=2000&to=5000")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([4L, 3L, 2L], window.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("chatId").GetInt64()));

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await _server.Client.GetAsync($"/v1/accounts/208/conversations?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("chatId").GetInt64()));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        Assert.Equal([7L, 6L, 5L, 4L, 3L, 2L, 1L], seen);
    }

    [Theory]
    [InlineData("kind=lost", "kind")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=%%%", "cursor")]
    public async Task Bad_list_parameters_are_400s_naming_them(string query, string field)
    {
        var problem = await (await _server.Client.GetAsync($"/v1/accounts/208/conversations?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_conversation_is_a_404_problem()
    {
        await (await _server.Client.GetAsync("/v1/accounts/208/conversations/12345")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // Issue 17: the error list is bounded, counts come before validation, identity keys are given once.

    private static string Minimal(long accountId, long chatId) => $$"""{"accountId":{{accountId}},"channel":{"id":{{chatId}}},"messages":[]}""";

    [Fact]
    public async Task A_body_of_more_conversations_than_a_request_may_hold_is_refused_at_once_with_the_limit()
    {
        var zeros = "[" + string.Join(",", Enumerable.Repeat("0", 3_000_000)) + "]";

        var response = await _server.PostJsonAsync("/v1/conversations", zeros);
        // Without the bound the answer is hundreds of megabytes: compare the status alone first, not the body.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("3000000 conversations in one request; the limit is 10000 (Chatport:Import:MaxConversationsPerRequest)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Valid_conversations_past_the_limit_are_refused_too_and_none_is_stored()
    {
        var many = "[" + string.Join(",", Enumerable.Range(1, 10_001).Select(i => Minimal(208, i))) + "]";

        var problem = await (await _server.PostJsonAsync("/v1/conversations", many)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("10001 conversations in one request; the limit is 10000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/1")).StatusCode);
    }

    [Fact]
    public async Task Many_invalid_conversations_list_the_first_100_and_count_them_all()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("0", 5_000).Prepend(Minimal(208, 1))) + "]";

        var response = await _server.PostJsonAsync("/v1/conversations", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(5_000, problem.GetProperty("errorCount").GetInt32());
        Assert.Equal(100, problem.GetProperty("errors")[99].GetProperty("index").GetInt32());
        Assert.StartsWith("5000 conversation(s) are not valid (the first 100 are listed in errors); nothing was stored.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(response.Content.Headers.ContentLength < 30_000, $"{response.Content.Headers.ContentLength} bytes");
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/1")).StatusCode);
    }

    [Fact]
    public async Task Conversations_for_accounts_that_do_not_exist_are_listed_up_to_100_and_counted()
    {
        var body = "[" + string.Join(",", Enumerable.Range(1, 150).Select(i => Minimal(1000 + i, i))) + "]";

        var problem = await (await _server.PostJsonAsync("/v1/conversations", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(150, problem.GetProperty("errorCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"accountId":309,"accountId":208,"channel":{"id":1},"messages":[]}""", "$.accountId")]
    [InlineData("""{"accountId":309,"account\u0049d":208,"channel":{"id":1},"messages":[]}""", "$.accountId")]
    [InlineData("""{"accountId":208,"channel":{"id":1,"id":2},"messages":[]}""", "$.channel.id")]
    [InlineData("""[{"accountId":208,"channel":{"id":1},"messages":[]},{"accountId":309,"accountId":208,"channel":{"id":2},"messages":[]}]""", "$.accountId")]
    public async Task A_conversation_naming_its_account_or_chat_twice_is_refused_even_with_the_right_key(string body, string path)
    {
        await _server.PutAccountAsync(309);
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "backfill" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        using var client = _server.NewClient(key);

        var problem = await (await client.PostAsync("/v1/conversations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains($"{path}: the key `", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("is given more than once", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(path, problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(0, (await (await _server.Client.GetAsync("/v1/accounts/208/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await (await _server.Client.GetAsync("/v1/accounts/309/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_account_key_cannot_import_for_another_account()
    {
        await _server.PutAccountAsync(309);
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "backfill" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        using var client = _server.NewClient(key);

        var problem = await (await client.PostAsync("/v1/conversations", new StringContent(Minimal(309, 1), System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("belongs to account 208; it cannot act for account 309", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/309/conversations/1")).StatusCode);
    }
}
