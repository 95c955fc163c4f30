using System.Net;

namespace Chatport.Tests.Portal;

/// <summary>
/// The portal's forms over plain HTTP: each POST needs its antiforgery token (a form posted without it changes
/// nothing), the sign-in goes back only to a page of this site, and the API never answers to the portal's cookie.
/// </summary>
public sealed class PortalFormsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A browser-like client (cookies, no redirects followed, no API key).</summary>
    private (HttpClient Client, CookieContainer Cookies) NewBrowser()
    {
        var cookies = new CookieContainer();
        return (PortalBrowser.New(_server, cookies), cookies);
    }

    private static async Task<string> TokenAsync(HttpClient client, string path) => PortalBrowser.Token(await client.GetStringAsync(path));

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string returnUrl = "/") =>
        PortalBrowser.PostSignInAsync(client, returnUrl: returnUrl);

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        var (client, _) = NewBrowser();
        using var _client = client;
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client)).StatusCode);

        var form = new Dictionary<string, string> { ["url"] = "https://crm.example.com/hook", ["name"] = "forged" };
        var forged = await client.PostAsync("/accounts/208?handler=AddWebhook", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Nothing was changed.", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());

        // With the page's own token the same form works: the refusal was the token's.
        form["__antiforgery"] = await TokenAsync(client, "/accounts/208");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/accounts/208?handler=AddWebhook", new FormUrlEncodedContent(form))).StatusCode);
        Assert.Equal(1, (await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task A_sign_in_without_a_token_is_refused_too()
    {
        var (client, _) = NewBrowser();
        using var _client = client;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ChatportServer.AdminKey }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("chatport_portal=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/accounts/208/deliveries?status=failed", "/accounts/208/deliveries?status=failed")]
    public async Task The_sign_in_goes_back_only_to_a_page_of_this_site(string returnUrl, string expected)
    {
        var (client, _) = NewBrowser();
        using var _client = client;
        var response = await SignInAsync(client, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_strict_and_the_API_does_not_take_it()
    {
        var (client, cookies) = NewBrowser();
        using var _client = client;
        var response = await SignInAsync(client);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("chatport_portal=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ChatportServer.AdminKey, setCookie, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/accounts/208")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/accounts/208")).StatusCode); // a cookie is no API key
        Assert.NotEmpty(cookies.GetAllCookies());
    }

    [Fact]
    public async Task A_restart_keeps_people_signed_in_since_the_cookie_keys_are_in_the_store()
    {
        var (client, cookies) = NewBrowser();
        using var _client = client;
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/accounts/208")).StatusCode);

        var dataDir = _server.DataDir;
        await _server.DisposeAsync();
        _server = await ChatportServer.StartAsync(dataDir: dataDir);
        using var after = PortalBrowser.New(_server, cookies);
        var page = await after.GetAsync("/accounts/208");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // And a cookie made with keys of another store is not taken: a fresh data dir signs it out.
        await using var stranger = await ChatportServer.StartAsync();
        using var elsewhere = PortalBrowser.New(stranger, cookies);
        var refused = await elsewhere.GetAsync("/accounts/208");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_pages_say_what_they_allow_and_API_answers_keep_their_headers()
    {
        var page = await _server.NewClient(null).GetAsync("/login");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var api = await _server.Client.GetAsync("/v1/accounts/208");
        Assert.False(api.Headers.Contains("Content-Security-Policy"));
    }
}
