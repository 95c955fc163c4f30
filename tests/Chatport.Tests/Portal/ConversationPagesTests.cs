using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Portal;

/// <summary>
/// The conversation pages over plain HTTP: the list with its filters (search, kind), one conversation as a chat with
/// the seed's metrics, its versions and its raw JSON — every text of the body HTML-encoded — and the account check
/// on all three (another account's key sees none of them).
/// </summary>
public sealed class ConversationPagesTests : IAsyncLifetime
{
    private const string Script = "<script>alert(1)</script>";

    private ChatportServer _server = null!;
    private string _secondVersion = null!;
    private string _otherKey = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
        await _server.PutAccountAsync(209);
        var first = SeedEvents.CompactSample();
        await ImportAsync(first);
        var second = JsonNode.Parse(first)!;
        second["channel"]!["rating"] = 4;
        _secondVersion = second.ToJsonString();
        await ImportAsync(_secondVersion);
        var script = JsonNode.Parse(first)!;
        script["channel"]!["id"] = 55040;
        script["endAt"] = 1427470476000;
        script["visitor"]!["name"] = "Eva Script";
        script["visitor"]!["email"] = "eva@example.net";
        script["messages"]![0]!["content"] = Script;
        await ImportAsync(script.ToJsonString());
        var key = await (await _server.Client.PostAsJsonAsync("/v1/accounts/209/keys", new { name = "other" })).ReadJsonAsync(HttpStatusCode.Created);
        _otherKey = key.GetProperty("key").GetString()!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task ImportAsync(string conversation) =>
        await (await _server.PostJsonAsync("/v1/conversations", conversation)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>A browser-like client (cookies, no redirects followed) signed in with <paramref name="key"/>.</summary>
    private Task<HttpClient> SignedInAsync(string key = ChatportServer.AdminKey) => PortalBrowser.SignedInAsync(_server, key);

    private static async Task<string> PageAsync(HttpClient client, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {response.StatusCode}\n{html}");
        return html;
    }

    [Fact]
    public async Task The_list_shows_the_conversations_and_its_filters_find_them()
    {
        using var client = await SignedInAsync();
        var all = await PageAsync(client, "/accounts/208/conversations");
        Assert.Contains("href=\"/accounts/208/conversations/55039\"", all, StringComparison.Ordinal);
        Assert.Contains("href=\"/accounts/208/conversations/55040\"", all, StringComparison.Ordinal);
        Assert.Contains("Dusan Kmet", all, StringComparison.Ordinal);
        Assert.Contains("dusan@domain.com", all, StringComparison.Ordinal);
        Assert.Contains("<caption>", all, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Conversations<", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("/conversations/55039\"", StringComparison.Ordinal) < all.IndexOf("/conversations/55040\"", StringComparison.Ordinal),
            "newest endAt first");

        var byName = await PageAsync(client, "/accounts/208/conversations?q=dusan");
        Assert.Contains("/conversations/55039\"", byName, StringComparison.Ordinal);
        Assert.DoesNotContain("/conversations/55040\"", byName, StringComparison.Ordinal);
        Assert.Contains("value=\"dusan\"", byName, StringComparison.Ordinal); // the form keeps the filter

        var nothing = await PageAsync(client, "/accounts/208/conversations?q=zebra");
        Assert.DoesNotContain("/conversations/55039\"", nothing, StringComparison.Ordinal);
        Assert.Contains("No conversation matched.", nothing, StringComparison.Ordinal);

        Assert.Contains("/conversations/55039\"", await PageAsync(client, "/accounts/208/conversations?kind=completed"), StringComparison.Ordinal);
        var missed = await PageAsync(client, "/accounts/208/conversations?kind=missed");
        Assert.DoesNotContain("/conversations/55039\"", missed, StringComparison.Ordinal);
        Assert.Contains("No conversation matched.", missed, StringComparison.Ordinal);

        // The form's datetime-local times, in the account's zone (UTC here): the sample ended 2015-03-27 15:34:36.
        Assert.Contains("/conversations/55039\"", await PageAsync(client, "/accounts/208/conversations?from=2015-03-27T15%3A34%3A36"), StringComparison.Ordinal);
        Assert.DoesNotContain("/conversations/55039\"", await PageAsync(client, "/accounts/208/conversations?from=2015-03-27T15%3A35"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_the_service_refuses_are_an_alert_with_a_400()
    {
        using var client = await SignedInAsync();
        var html = await PageAsync(client, "/accounts/208/conversations?kind=bogus&from=yesterday", HttpStatusCode.BadRequest);
        Assert.Contains("class=\"notice error\" role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("kind must be one of", html, StringComparison.Ordinal);
        Assert.Contains("from must be", html, StringComparison.Ordinal);
        await PageAsync(client, "/accounts/208/conversations?cursor=nonsense", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_conversation_page_shows_the_chat_its_metrics_and_every_version()
    {
        using var client = await SignedInAsync();
        var html = await PageAsync(client, "/accounts/208/conversations/55039");
        foreach (var text in new[] { "Hello", "This is triggered message", "Hi, how can i help you ?", "tanks.", "John Doe joined the chat.", "Dusan Kmet closed the chat." })
        {
            Assert.Contains($"<span class=\"text\">{text}</span>", html, StringComparison.Ordinal);
        }
        Assert.Contains("<li class=\"trigger\">", html, StringComparison.Ordinal);
        Assert.Contains("<li class=\"agent\">", html, StringComparison.Ordinal);
        Assert.Contains("2015-03-27 15:33:59", html, StringComparison.Ordinal); // the first message, in the account's zone (UTC)
        Assert.Contains("href=\"http://developers.smartsupp.com/smartsupp/hook-post\"", html, StringComparison.Ordinal);

        foreach (var (label, value) in new[] { ("Duration", "36 s"), ("Average response", "14 s"), ("First response", "14 s"), ("Messages", "5"), ("Words", "11"),
            ("Rating", "4"), ("Completed", "yes"), ("Missed", "no"), ("Triggered", "yes") })
        {
            Assert.Contains($"<dt>{label}</dt><dd>{value}</dd>", html, StringComparison.Ordinal);
        }

        Assert.Contains("Version 2 · import · stored", html, StringComparison.Ordinal);
        Assert.Contains("Version 1 · import · stored", html, StringComparison.Ordinal);
        Assert.Contains("&quot;rating&quot;: 4", html, StringComparison.Ordinal);
        Assert.Contains("&quot;rating&quot;: 5", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/accounts/208/conversations/55039/raw\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_is_shown_encoded_never_as_markup()
    {
        using var client = await SignedInAsync();
        var html = await PageAsync(client, "/accounts/208/conversations/55040");
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<span class=\"text\">&lt;script&gt;alert(1)&lt;/script&gt;</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", await PageAsync(client, "/accounts/208/conversations?q=script"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_raw_JSON_is_the_stored_body()
    {
        using var client = await SignedInAsync();
        var raw = await client.GetAsync("/accounts/208/conversations/55039/raw");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("application/json", raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(_secondVersion), await raw.Content.ReadAsByteArrayAsync());
        var api = await _server.Client.GetAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal(await api.Content.ReadAsByteArrayAsync(), await (await client.GetAsync("/accounts/208/conversations/55039/raw")).Content.ReadAsByteArrayAsync());

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        var refused = await anonymous.GetAsync("/accounts/208/conversations/55039/raw");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_that_does_not_exist_is_a_404()
    {
        using var client = await SignedInAsync();
        Assert.Contains("Account 208 has no conversation 999.", await PageAsync(client, "/accounts/208/conversations/999", HttpStatusCode.NotFound), StringComparison.Ordinal);
        await PageAsync(client, "/accounts/208/conversations/999/raw", HttpStatusCode.NotFound);
        await PageAsync(client, "/accounts/5555/conversations", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/accounts/208/conversations")]
    [InlineData("/accounts/208/conversations/55039")]
    [InlineData("/accounts/208/conversations/55039/raw")]
    public async Task Another_accounts_key_is_refused(string path)
    {
        using var client = await SignedInAsync(_otherKey);
        var html = await PageAsync(client, path, HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Dusan", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rating", html, StringComparison.Ordinal);
        Assert.Contains("it cannot see account 208", html, StringComparison.Ordinal);
    }
}
