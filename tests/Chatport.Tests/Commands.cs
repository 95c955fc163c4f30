using System.Diagnostics;

namespace Chatport.Tests;

/// <summary>Runs a system command a test needs (mount, umount, dotnet pack) and fails the test, with its error output, if it fails.</summary>
internal static class Commands
{
    public static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
    }

    /// <summary>
    /// Runs <paramref name="program"/> and returns what it wrote to standard output; fails the test, with both outputs
    /// (dotnet writes its errors to standard output), if it exits with another code than 0.
    /// </summary>
    public static async Task<string> OutputAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0,
            $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }
}
