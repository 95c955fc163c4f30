using Xunit.Abstractions;
using Xunit.Sdk;

namespace Chatport.Tests.Portal.Browser;

/// <summary>
/// The browser test chain works on this machine: Playwright's driver starts, Debian's Chromium runs headless,
/// axe-core passes an accessible page and fails an inaccessible one naming the rules, screenshots come out at the
/// sizes asked for, and the browser reaches a real Chatport server over loopback.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserSmokeTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string AccessiblePage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Chatport</title></head>
        <body>
          <header><h1>Chatport</h1></header>
          <main>
            <p style="color:#1a1a1a;background:#ffffff">Conversations from every channel, in one place.</p>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="The Chatport logo" width="1" height="1">
            <form><label for="email">Email</label> <input id="email" type="email"> <button type="submit">Sign in</button></form>
          </main>
        </body>
        </html>
        """;

    private const string InaccessiblePage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Broken</title></head>
        <body>
          <main>
            <h1>Broken</h1>
            <img id="logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">
            <p id="faint" style="color:#bbbbbb;background:#ffffff">Hard to read.</p>
          </main>
        </body>
        </html>
        """;

    [Fact]
    public async Task An_accessible_page_has_no_serious_axe_violations()
    {
        await using var session = await browser.NewSessionAsync();
        await session.Page.SetContentAsync(AccessiblePage);

        Assert.Equal("Chatport", await session.Page.TitleAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(session.Page);
    }

    [Fact]
    public async Task A_missing_alt_text_and_low_contrast_fail_the_accessibility_check_naming_the_rules_and_elements()
    {
        await using var session = await browser.NewSessionAsync();
        await session.Page.SetContentAsync(InaccessiblePage);

        var failure = await Assert.ThrowsAsync<FailException>(() => Accessibility.AssertNoSeriousViolationsAsync(session.Page));
        output.WriteLine(failure.Message);

        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("color-contrast (serious)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#logo", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#faint", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_browser_reaches_a_real_chatport_server_over_loopback()
    {
        await using var server = await ChatportServer.StartAsync();
        await using var session = await browser.NewSessionAsync();

        var response = await session.Page.GotoAsync(new Uri(server.BaseAddress, "/health/live").ToString());

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("Healthy", (await session.Page.InnerTextAsync("body")).Trim());
    }

    [Fact]
    public async Task Screenshots_are_full_page_pngs_at_the_desktop_and_phone_sizes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var session = await browser.NewSessionAsync();
            await session.Page.SetContentAsync(AccessiblePage);

            await Screenshots.SaveScreenshotsAsync(session.Page, "smoke", folder);

            Assert.Equal((1280, 800), PngSize(Path.Combine(folder, "smoke-desktop.png")));
            Assert.Equal((390, 844), PngSize(Path.Combine(folder, "smoke-phone.png")));
            Assert.Equal(1280, session.Page.ViewportSize?.Width); // the viewport is put back
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length > 24 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{file} is not a PNG");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}

/// <summary>Which Chromium the fixture runs, and the message when there is none.</summary>
public sealed class ChromiumLookupTests
{
    [Fact]
    public void A_configured_chromium_that_does_not_exist_fails_saying_how_to_install_one()
    {
        var error = Assert.Throws<ChromiumNotFoundException>(() => BrowserFixture.FindChromium("/nonexistent/chromium", "/usr/bin"));

        Assert.Contains("CHATPORT_TEST_CHROMIUM names /nonexistent/chromium", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chromium_is_found_on_path_when_not_configured()
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "chromium"), "");

            Assert.Equal(Path.Combine(folder, "chromium"), BrowserFixture.FindChromium(null, $"/nonexistent{Path.PathSeparator}{folder}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
