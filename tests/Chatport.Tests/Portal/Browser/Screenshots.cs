using Microsoft.Playwright;

namespace Chatport.Tests.Portal.Browser;

/// <summary>
/// Screenshots of portal pages for the documentation: taken only when <c>CHATPORT_SCREENSHOTS</c> names a folder
/// (eng/screenshots.sh sets it to docs/screenshots); otherwise every call does nothing.
/// </summary>
public static class Screenshots
{
    /// <summary>The environment variable that names the folder the screenshots go to.</summary>
    public const string FolderVariable = "CHATPORT_SCREENSHOTS";

    private static readonly (string Suffix, int Width, int Height)[] Viewports = [("desktop", 1280, 800), ("phone", 390, 844)];

    /// <summary>
    /// Saves <c>NAME-desktop.png</c> (1280×800) and <c>NAME-phone.png</c> (390×844), each of the full page, in the
    /// folder <c>CHATPORT_SCREENSHOTS</c> names (made when missing; a relative path is taken from the current
    /// directory), then puts the page's viewport back as it was. Does nothing when the variable is not set.
    /// </summary>
    public static Task SaveScreenshotsAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        return string.IsNullOrEmpty(folder) ? Task.CompletedTask : SaveScreenshotsAsync(page, name, folder);
    }

    /// <summary>The same screenshots in <paramref name="folder"/>, whatever the environment says.</summary>
    public static async Task SaveScreenshotsAsync(IPage page, string name, string folder)
    {
        if (name.Length == 0 || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0)
        {
            throw new ArgumentException($"A screenshot name is a plain file name without extension, not '{name}'.", nameof(name));
        }
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var original = page.ViewportSize;
        try
        {
            foreach (var (suffix, width, height) in Viewports)
            {
                await page.SetViewportSizeAsync(width, height);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{suffix}.png"), FullPage = true });
            }
        }
        finally
        {
            if (original is not null)
            {
                await page.SetViewportSizeAsync(original.Width, original.Height);
            }
        }
    }
}
