using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatport.Tests.Limits;

/// <summary>
/// Issue 17, "No limits on stored settings": every stored field of destinations (of every kind), sources, keys and
/// accounts is bounded, and a longer one is a plain-word 400 that names the field and the limit — without quoting
/// the huge value back. Through the HTTP API of a real server.
/// </summary>
public sealed class StoredFieldLimitsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> RefusedAsync(string path, object body)
    {
        var response = await _server.Client.PostAsJsonAsync(path, body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetRawText().Length < 4096, $"The problem quotes the value back: {problem.GetRawText().Length} characters.");
        return problem.GetProperty("errors");
    }

    private static string Error(JsonElement errors, string field) => errors.GetProperty(field)[0].GetString()!;

    [Fact]
    public async Task A_url_longer_than_2048_characters_is_refused_for_every_kind_that_takes_one()
    {
        var url = "https://crm.example.com/" + new string('a', 2048 - 23);
        Assert.Equal(2049, url.Length);

        var webhook = await RefusedAsync("/v1/accounts/208/destinations", new { kind = "webhook", url });
        Assert.Equal("url must be at most 2,048 characters; it has 2,049.", Error(webhook, "url"));
        var http = await RefusedAsync("/v1/accounts/208/destinations", new { kind = "http", url, template = "{}" });
        Assert.Equal("url must be at most 2,048 characters; it has 2,049.", Error(http, "url"));
        var preset = await RefusedAsync("/v1/accounts/208/destinations", new { kind = "http", preset = "hubspot", token = "t", baseUrl = url });
        Assert.Equal("baseUrl must be at most 2,048 characters; it has 2,049.", Error(preset, "baseUrl"));
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = url[..^1] })).StatusCode);
    }

    [Fact]
    public async Task Every_string_field_of_every_kind_is_bounded_before_the_kind_reads_it()
    {
        var huge = new string('x', 20 * 1024 * 1024); // the probe's 20 MB

        Assert.Equal("url must be at most 2,048 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://x.example/" + huge[18..] }), "url"));
        Assert.Equal("path must be at most 2,048 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "file", format = "jsonl", path = huge }), "path"));
        Assert.Equal("connectionString must be at most 2,048 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "sql", provider = "sqlite", connectionString = huge }), "connectionString"));
        Assert.Equal("template must be at most 65,536 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "http", url = "https://x.example/", template = huge }), "template"));
        Assert.Equal("name must be at most 200 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://x.example/", name = huge }), "name"));
        Assert.Equal("kinds may hold at most 100 items; it has 101.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://x.example/", kinds = Enumerable.Repeat("missed", 101) }), "kinds"));
        Assert.Equal("to may hold at most 100 items; it has 101.",
            Error(await RefusedAsync("/v1/accounts/208/destinations", new
            {
                kind = "email", host = "smtp.example.com", tls = "starttls", from = "a@example.com", to = Enumerable.Repeat("t@example.com", 101),
            }), "to"));
    }

    [Fact]
    public async Task Header_values_names_and_counts_are_bounded()
    {
        var value = new string('v', 8193);
        var webhook = await RefusedAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = "https://x.example/", headers = new Dictionary<string, string> { ["Authorization"] = value } });
        Assert.Equal("headers.Authorization must be at most 8,192 characters; it has 8,193.", Error(webhook, "headers"));

        var http = await RefusedAsync("/v1/accounts/208/destinations",
            new { kind = "http", url = "https://x.example/", template = "{}", auth = new { type = "bearer", token = value } });
        Assert.Equal("auth.token must be at most 8,192 characters; it has 8,193.", Error(http, "auth"));

        var many = Enumerable.Range(1, 51).ToDictionary(i => $"X-H{i}", i => "v");
        var count = await RefusedAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://x.example/", headers = many });
        Assert.Equal("headers may hold at most 50 entries; it has 51.", Error(count, "headers"));

        var name = await RefusedAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = "https://x.example/", headers = new Dictionary<string, string> { [new string('X', 257)] = "v" } });
        Assert.Equal("A name in headers must be at most 256 characters; one has 257.", Error(name, "headers"));

        // A change is bounded as a create is.
        var id = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = "https://x.example/" }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var patch = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}",
            new { headers = new Dictionary<string, string> { ["Authorization"] = value } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("headers.Authorization must be at most 8,192 characters; it has 8,193.", Error(patch.GetProperty("errors"), "headers"));
    }

    [Fact]
    public async Task A_source_name_username_and_secret_are_bounded()
    {
        var huge = new string('s', 20 * 1024 * 1024);
        Assert.Equal("name must be at most 200 characters; it has 20,971,520.",
            Error(await RefusedAsync("/v1/accounts/208/sources", new { kind = "hook", name = huge }), "name"));
        Assert.Equal("username must be at most 200 characters; it has 201.",
            Error(await RefusedAsync("/v1/accounts/208/sources", new { kind = "hook", auth = "basic", username = new string('u', 201) }), "username"));
        Assert.Equal("secret must be at most 256 characters; it has 257.",
            Error(await RefusedAsync("/v1/accounts/208/sources", new { kind = "hook", auth = "basic", secret = new string('p', 257) }), "secret"));
        Assert.Equal("name must be one line, without control characters.",
            Error(await RefusedAsync("/v1/accounts/208/sources", new { kind = "hook", name = "a\u0000b" }), "name"));
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/sources", new { kind = "hook", name = new string('n', 200) })).StatusCode);
    }

    [Fact]
    public async Task A_key_name_and_an_account_time_zone_are_bounded_by_field()
    {
        var key = await RefusedAsync("/v1/accounts/208/keys", new { name = new string('k', 20 * 1024 * 1024) });
        Assert.Equal("name must be at most 200 characters; it has 20,971,520.", Error(key, "name"));

        var zone = await (await _server.Client.PutAsJsonAsync("/v1/accounts/208", new { name = "A", plan = "pro", timeZone = new string('z', 20 * 1024 * 1024) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(zone.GetRawText().Length < 4096, "The problem quotes the zone back.");
        Assert.Equal("timeZone must be at most 64 characters; it has 20,971,520.", Error(zone.GetProperty("errors"), "timeZone"));
    }
}
