using System.Net;
using System.Text.RegularExpressions;

namespace Chatport.Tests.Portal;

/// <summary>
/// A browser-like client of the portal over plain HTTP, for the page tests that need no real browser: it keeps
/// cookies, follows no redirect, and signs in as a person does — the sign-in page's antiforgery token, then the key.
/// </summary>
internal static partial class PortalBrowser
{
    [GeneratedRegex("""name="__antiforgery" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="__antiforgery" """)]
    private static partial Regex AntiforgeryInput();

    /// <summary>A client of <paramref name="server"/> with its own cookies (pass <paramref name="cookies"/> to share them), not signed in.</summary>
    public static HttpClient New(ChatportServer server, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string Token(string html)
    {
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return match.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
    }

    /// <summary>Posts the sign-in form with <paramref name="key"/>; the answer is the sign-in's (a redirect when it worked).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string key = ChatportServer.AdminKey, string? returnUrl = null)
    {
        var form = new Dictionary<string, string> { ["key"] = key, ["__antiforgery"] = Token(await client.GetStringAsync("/login")) };
        if (returnUrl is not null)
        {
            form["returnUrl"] = returnUrl;
        }
        return await client.PostAsync("/login", new FormUrlEncodedContent(form));
    }

    /// <summary>A new client of <paramref name="server"/>, signed in with <paramref name="key"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(ChatportServer server, string key = ChatportServer.AdminKey)
    {
        var client = New(server);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSignInAsync(client, key)).StatusCode);
        return client;
    }
}
