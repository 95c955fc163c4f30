using System.Diagnostics;

namespace Chatport.Tests;

/// <summary>Runs a system command a test needs (mount, umount) and fails the test, with its error output, if it fails.</summary>
internal static class Commands
{
    public static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
    }
}
