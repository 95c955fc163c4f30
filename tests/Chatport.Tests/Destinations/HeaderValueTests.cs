using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatport.Tests.Destinations;

/// <summary>
/// Issue 17, "Header values": a custom header's value (webhook and http <c>headers</c>, an http <c>auth</c> header or
/// bearer token, a preset's token) is refused at creation when it holds a NUL or another control character, or
/// anything outside ASCII (HttpClient refuses it at every send, so every delivery would fail); a name holds only
/// RFC 9110 token characters. A value of visible ASCII, spaces and tabs is kept and sent as it is.
/// </summary>
public sealed class HeaderValueTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> RefusedAsync(object body, string field)
    {
        var problem = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("System.", problem.GetRawText(), StringComparison.Ordinal);
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }

    private static object Webhook(string name, string value) =>
        new { kind = "webhook", url = "https://crm.example.com/hook", headers = new Dictionary<string, string> { [name] = value } };

    private static object Http(string name, string value) =>
        new { kind = "http", url = "https://crm.example.com/chats", template = "{}", headers = new Dictionary<string, string> { [name] = value } };

    [Theory]
    [InlineData("a\u0000b", "must not hold control characters; it holds U+0000 at character 2")]
    [InlineData("\u0001", "must not hold control characters; it holds U+0001 at character 1")]
    [InlineData("Bearer x\u001b[2J", "must not hold control characters; it holds U+001B at character 9")]
    [InlineData("del\u007f", "must not hold control characters; it holds U+007F at character 4")]
    [InlineData("Mělník", "may hold only ASCII letters, digits, punctuation and spaces (HTTP sends nothing else); it holds U+011B at character 2")]
    [InlineData("horse 🐴", "may hold only ASCII letters, digits, punctuation and spaces (HTTP sends nothing else); it holds U+1F434 at character 7")]
    [InlineData("a\r\nX-Injected: 1", "must not hold line breaks")]
    public async Task A_header_value_that_cannot_be_sent_is_refused_at_creation(string value, string problem)
    {
        Assert.Equal($"The value of X-Team {problem}.", await RefusedAsync(Webhook("X-Team", value), "headers"));
        Assert.Equal($"The value of X-Team {problem}.", await RefusedAsync(Http("X-Team", value), "headers"));
    }

    [Theory]
    [InlineData("X Team")]
    [InlineData("X-Équipe")]
    [InlineData("X-Team:")]
    [InlineData("X\u0000Team")]
    [InlineData("")]
    public async Task A_header_name_holds_only_token_characters(string name)
    {
        var expected = $"\"{name}\" is not a valid header name: a name holds only letters, digits and !#$%&'*+-.^_`|~.";
        Assert.Equal(expected, await RefusedAsync(Webhook(name, "v"), "headers"));
        Assert.Equal(expected, await RefusedAsync(Http(name, "v"), "headers"));
    }

    [Fact]
    public async Task The_http_kinds_auth_and_preset_tokens_are_checked_as_header_values()
    {
        Assert.Equal("auth.token may hold only ASCII letters, digits, punctuation and spaces (HTTP sends nothing else); it holds U+00F6 at character 2.",
            await RefusedAsync(new { kind = "http", url = "https://crm.example.com/", template = "{}", auth = new { type = "bearer", token = "tök" } }, "auth"));
        Assert.Equal("auth.value must not hold control characters; it holds U+0000 at character 4.",
            await RefusedAsync(new { kind = "http", url = "https://crm.example.com/", template = "{}", auth = new { type = "header", name = "X-Key", value = "abc\u0000" } }, "auth"));
        Assert.Equal("auth: \"X Key\" is not a valid header name: a name holds only letters, digits and !#$%&'*+-.^_`|~.",
            await RefusedAsync(new { kind = "http", url = "https://crm.example.com/", template = "{}", auth = new { type = "header", name = "X Key", value = "v" } }, "auth"));
        Assert.Equal("auth.password must not hold line breaks or other control characters.",
            await RefusedAsync(new { kind = "http", url = "https://crm.example.com/", template = "{}", auth = new { type = "basic", username = "u", password = "p\u0000" } }, "auth"));
        Assert.Equal("token may hold only ASCII letters, digits, punctuation and spaces (HTTP sends nothing else); it holds U+00F6 at character 2.",
            await RefusedAsync(new { kind = "http", preset = "hubspot", token = "pö" }, "token"));
        Assert.Equal("apiToken must not hold control characters; it holds U+0000 at character 2.",
            await RefusedAsync(new { kind = "http", preset = "pipedrive", companyDomain = "acme", apiToken = "a\u0000" }, "apiToken"));

        // Basic auth is sent as base64 of its UTF-8: a password outside ASCII is fine.
        Assert.Equal(HttpStatusCode.Created, (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            new { kind = "http", url = "https://crm.example.com/", template = "{}", auth = new { type = "basic", username = "u", password = "pässwörd" } })).StatusCode);
    }

    [Fact]
    public async Task A_change_is_checked_as_a_creation_is()
    {
        var id = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", Webhook("X-Team", "support"))).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();

        var problem = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}",
            new { headers = new Dictionary<string, string> { ["X-Team"] = "\u0000" } })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The value of X-Team must not hold control characters; it holds U+0000 at character 1.",
            problem.GetProperty("errors").GetProperty("headers")[0].GetString());
    }

    [Fact]
    public async Task Visible_ascii_spaces_and_tabs_are_kept_and_sent_as_they_are()
    {
        await using var receiver = await Receiver.StartAsync();
        const string Value = "Bearer a.b~c!#$%&'*+-^_`|  \t(x) \"q\" [y] {z} <w> @ , ; : / ? = \\";
        var id = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = receiver.Url, headers = new Dictionary<string, string> { ["X-Odd!#$%&'*+-.^_`|~1"] = Value } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var test = await (await _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.ToString());
        Assert.Equal(Value, (await receiver.WaitForAsync(1))[0].Headers["x-odd!#$%&'*+-.^_`|~1"]);
    }
}
