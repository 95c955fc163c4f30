using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Chatport.Tests.Portal.Browser;

/// <summary>
/// The portal driven in a real headless Chromium, as a person would use it: keyboard-typed keys, clicks on the
/// buttons by their names, what the page then says. Every page visited is checked with axe-core (no serious or
/// critical violation) and, when <c>CHATPORT_SCREENSHOTS</c> is set, photographed at desktop and phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PortalBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        await _server.Client.PutAsJsonAsync("/v1/accounts/208", new { name = "Acme Support", plan = "pro", timeZone = "Europe/Madrid" });
        await _server.Client.PutAsJsonAsync("/v1/accounts/209", new { name = "Globex", plan = "pro" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private string Url(string path) => new Uri(_server.BaseAddress, path).ToString();

    /// <summary>Checks the page with axe and photographs it (when asked to).</summary>
    private static async Task CheckAsync(IPage page, string name)
    {
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveScreenshotsAsync(page, name);
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API key").PressAsync("Enter"); // Enter submits
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_signs_in_activates_the_POST_hook_sends_a_test_switches_to_Spanish_and_signs_out()
    {
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;

        // A page asked for before signing in goes to /login, and back to it after.
        await page.GotoAsync(Url("/accounts/208"));
        Assert.True(page.Url.Contains("/login?returnUrl=%2Faccounts%2F208", StringComparison.Ordinal), page.Url + "\n" + await page.ContentAsync());
        await CheckAsync(page, "login");
        await SignInAsync(page, ChatportServer.AdminKey);
        Assert.EndsWith("/accounts/208", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Acme Support");

        // Activate the POST hook: a webhook, its secret shown once.
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(_receiver.Url);
        await page.GetByLabel("Name (optional)").First.FillAsync("CRM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the webhook" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Webhook added");
        Assert.Matches("^whsec_", await page.Locator("#secret").InnerTextAsync());
        await CheckAsync(page, "account");

        // Send a test and see the answer.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test to CRM" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("The test was delivered.");
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("200");
        Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal(0, await page.Locator("#secret").CountAsync()); // not shown again

        // A conversation arrives: its delivery is in the log, with its attempt; replayed under the same id.
        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var delivered = (await _receiver.WaitForAsync(2))[1];
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("55039");
        await CheckAsync(page, "deliveries");
        await page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^msg_") }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("msg_");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("200");
        await CheckAsync(page, "delivery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        var replayed = (await _receiver.WaitForAsync(3))[2];
        Assert.Equal(delivered.Headers["webhook-id"], replayed.Headers["webhook-id"]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Live", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await CheckAsync(page, "live");
        await page.GotoAsync(Url("/accounts/208"));

        // Switch to Spanish: the same page, in Spanish, with the choice kept.
        await page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Configuración" })).ToBeVisibleAsync();
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        await CheckAsync(page, "account-es");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" })).ToBeVisibleAsync();

        // Sign out: back at the sign-in page, and the account's page asks for a key again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/login$"));
        await page.GotoAsync(Url("/accounts/208"));
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_key_sees_its_own_account_and_not_another()
    {
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/keys", new { name = "support" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString()!;
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await page.GotoAsync(Url("/login"));
        await SignInAsync(page, key);
        Assert.EndsWith("/accounts/208", page.Url, StringComparison.Ordinal); // its home is its account

        var other = await page.GotoAsync(Url("/accounts/209"));
        Assert.Equal(403, other!.Status);
        Assert.DoesNotContain("Globex", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This key belongs to account 208; it cannot see account 209.");
        await CheckAsync(page, "refused");

        // A form posted from this browser's session without the page's antiforgery token is refused, and changes nothing.
        var forged = await page.Context.APIRequest.PostAsync(Url("/accounts/208?handler=AddSource"), new() { Form = page.Context.APIRequest.CreateFormData().Set("name", "forged") });
        Assert.Equal(400, forged.Status);
        Assert.Equal(0, (await (await _server.Client.GetAsync("/v1/accounts/208/sources")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());

        // Revoked: the session ends at its next page.
        var keyId = (await (await _server.Client.GetAsync("/v1/accounts/208/keys")).ReadJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/keys/{keyId}")).StatusCode);
        await page.GotoAsync(Url("/accounts/208"));
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_finds_a_conversation_by_its_visitor_and_reads_it_as_a_chat()
    {
        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await page.GotoAsync(Url("/"));
        await SignInAsync(page, ChatportServer.AdminKey);
        await CheckAsync(page, "home");

        await page.GetByRole(AriaRole.Link, new() { Name = "Conversations of Acme Support" }).ClickAsync();
        await page.GetByLabel("Search").FillAsync("dusan");
        await page.GetByLabel("Search").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chat 55039" })).ToBeVisibleAsync();
        await CheckAsync(page, "conversations");

        await page.GetByRole(AriaRole.Link, new() { Name = "Chat 55039" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Chat 55039");
        await Assertions.Expect(page.Locator(".transcript")).ToContainTextAsync("Hi, how can i help you ?");
        await CheckAsync(page, "conversation");

        // The raw JSON one click away: the stored body.
        var raw = await page.Context.APIRequest.GetAsync(Url("/accounts/208/conversations/55039/raw"));
        Assert.Equal(200, raw.Status);
        Assert.Contains("\"accountId\":208", await raw.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_simulated_stream_of_chats_shows_in_the_conversations_and_the_live_view()
    {
        // The README's demo: chatport simulate against the server, then the portal. A webhook receives them all.
        await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new { kind = "webhook", url = _receiver.Url, name = "CRM" });
        var simulated = await Cli.ChatportCli.RunAsync(["simulate", "--account", "208", "--chats", "60", "--seed", "3", "--rate", "1000"],
            environment: new Dictionary<string, string> { ["CHATPORT_URL"] = _server.BaseAddress.ToString(), ["CHATPORT_KEY"] = ChatportServer.AdminKey });
        Assert.True(simulated.ExitCode == 0, simulated.ToString());

        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await page.GotoAsync(Url("/accounts/208/conversations"));
        await SignInAsync(page, ChatportServer.AdminKey);
        Assert.True(await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Chat \\d+$") }).CountAsync() >= 20);
        await CheckAsync(page, "demo-conversations");

        await page.GotoAsync(Url("/accounts/208/live"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("CRM");
        await CheckAsync(page, "demo-live");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_in_plain_words()
    {
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await page.GotoAsync(Url("/login"));
        await page.GetByLabel("API key").FillAsync("cp_not-a-key-0123456789");
        await page.GetByLabel("API key").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not valid.");
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        await CheckAsync(page, "login-error");
    }
}
