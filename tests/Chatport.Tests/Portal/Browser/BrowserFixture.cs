using Microsoft.Playwright;

namespace Chatport.Tests.Portal.Browser;

/// <summary>
/// One headless Chromium for the whole test run, driven by Playwright, for the portal's browser tests.
/// </summary>
/// <remarks>
/// <para>
/// <b>Which Chromium.</b> Not Playwright's own download (<c>playwright install</c> is never run): Debian's
/// <c>chromium</c> package. The path is <c>CHATPORT_TEST_CHROMIUM</c> when set (test.sh sets it, and installs the
/// package with apt-get when it is missing and the script runs as root), else <c>chromium</c> found on PATH, else
/// <c>/usr/bin/chromium</c>. Without it every browser test FAILS and says how to install it
/// (<c>apt-get install chromium</c>); none is skipped. Playwright's driver (node and its JavaScript) ships inside the
/// Microsoft.Playwright package and is copied to the test output, so nothing is downloaded at run time.
/// </para>
/// <para>
/// <b>How a test uses it.</b> Put the class in the collection <see cref="BrowserCollection.Name"/> (<c>"Browser"</c>),
/// take the fixture in the constructor, and open a fresh context and page per test; disposing the session closes
/// its context (cookies, storage, pages):
/// <code>
/// [Collection(BrowserCollection.Name)]
/// public sealed class LoginPageTests(BrowserFixture browser)
/// {
///     [Fact]
///     public async Task The_login_page_is_accessible()
///     {
///         await using var server = await ChatportServer.StartAsync();
///         await using var session = await browser.NewSessionAsync();
///         var response = await session.Page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
///         Assert.Equal(200, response!.Status);
///         await Accessibility.AssertNoSeriousViolationsAsync(session.Page);
///         await Screenshots.SaveScreenshotsAsync(session.Page, "login");
///     }
/// }
/// </code>
/// <see cref="Accessibility.AssertNoSeriousViolationsAsync"/> runs axe-core on the page and fails listing each
/// serious or critical violation; <see cref="Screenshots.SaveScreenshotsAsync"/> saves a desktop and a phone
/// screenshot when <c>CHATPORT_SCREENSHOTS</c> names a folder (eng/screenshots.sh sets it to docs/screenshots).
/// </para>
/// <para>
/// <b>Running them.</b> <c>./test.sh --filter "FullyQualifiedName~Portal"</c>, or with Chromium already installed
/// <c>dotnet test tests/Chatport.Tests --filter "FullyQualifiedName~Portal"</c>. Chromium runs with
/// <c>--no-sandbox</c> (its sandbox refuses to start as root, which is how CI runs); the pages it opens are the
/// tests' own. One browser serves the whole run; each session is an isolated context, so tests in the collection
/// share nothing but the process.
/// </para>
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The environment variable that names the Chromium executable.</summary>
    public const string ChromiumVariable = "CHATPORT_TEST_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Exception? _failure;

    /// <summary>The Chromium executable in use (null when none was found).</summary>
    public string? ChromiumPath { get; private set; }

    /// <summary>The running browser; throws, saying why and how to fix it, when Chromium could not be started.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_failure?.Message ?? "The browser is not started.", _failure?.InnerException);

    /// <summary>
    /// A fresh browser context (its own cookies and storage) and a page in it, 1280×800 unless
    /// <paramref name="options"/> say otherwise. Dispose it at the end of the test.
    /// </summary>
    public async Task<BrowserSession> NewSessionAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        try
        {
            var page = await context.NewPageAsync();
            return new BrowserSession(context, page);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    public async Task InitializeAsync()
    {
        try
        {
            ChromiumPath = FindChromium(Environment.GetEnvironmentVariable(ChromiumVariable), Environment.GetEnvironmentVariable("PATH"));
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                ChromiumSandbox = false, // Playwright passes --no-sandbox: Chromium's sandbox refuses to run as root
                Timeout = 30_000,
            });
        }
        catch (Exception e) when (e is not ChromiumNotFoundException)
        {
            _failure = new InvalidOperationException(
                $"Chromium ({ChromiumPath}) could not be started by Playwright: {e.Message}", e);
        }
        catch (ChromiumNotFoundException e)
        {
            _failure = e;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// The Chromium to run: <paramref name="configured"/> (CHATPORT_TEST_CHROMIUM) when set, which must exist; else
    /// <c>chromium</c> in a folder of <paramref name="path"/>; else <c>/usr/bin/chromium</c>. Throws
    /// <see cref="ChromiumNotFoundException"/>, saying how to install it, when there is none.
    /// </summary>
    public static string FindChromium(string? configured, string? path)
    {
        const string install = "Install Debian's Chromium (as root: apt-get update && apt-get install -y chromium), " +
            "or set " + ChromiumVariable + " to a Chromium executable; ./test.sh installs it by itself when run as root. " +
            "Playwright's own browser download (playwright install) is not used.";
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new ChromiumNotFoundException($"{ChromiumVariable} names {configured}, which does not exist. {install}");
        }
        foreach (var folder in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return File.Exists("/usr/bin/chromium")
            ? "/usr/bin/chromium"
            : throw new ChromiumNotFoundException($"The browser tests need Chromium, and none was found ({ChromiumVariable} is not set, no chromium on PATH, no /usr/bin/chromium). {install}");
    }
}

/// <summary>A browser context of its own and a page in it; disposing closes the context.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>No Chromium to run; the message says how to install it.</summary>
public sealed class ChromiumNotFoundException(string message) : Exception(message);

/// <summary>
/// The browser tests: one Chromium (<see cref="BrowserFixture"/>) shared by every class in this collection, started
/// once per test run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
