using System.Diagnostics;

namespace Chatport.Tests.Cli;

/// <summary>The real <c>chatport</c> executable (the built chatport.dll beside the tests), run as a person or a script would.</summary>
internal static class ChatportCli
{
    public sealed record Run(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}; stdout: {Output}; stderr: {Error}";
    }

    /// <summary>
    /// Runs <c>chatport ARGS</c> with stdout and stderr redirected (so not a terminal), <paramref name="input"/> on stdin
    /// when given, and CHATPORT_URL and CHATPORT_KEY unset unless <paramref name="environment"/> sets them.
    /// </summary>
    public static async Task<Run> RunAsync(IEnumerable<string> arguments, byte[]? input = null, IDictionary<string, string>? environment = null, string? program = null)
    {
        var start = new ProcessStartInfo(program ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (program is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chatport.dll"));
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("CHATPORT_URL");
        start.Environment.Remove("CHATPORT_KEY");
        start.Environment.Remove("Chatport__DataDir");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Run(process.ExitCode, await output, await error);
    }

    public static Task<Run> RunAsync(params string[] arguments) => RunAsync((IEnumerable<string>)arguments);

    /// <summary>
    /// Runs <c>chatport ARGS</c> on a terminal, as a person at a shell does: under <c>script</c> (util-linux), which gives
    /// it a pseudo-terminal for stdout and stderr (both come back in <see cref="Run.Output"/>), with TERM=xterm-256color.
    /// </summary>
    public static async Task<Run> RunOnTerminalAsync(IDictionary<string, string> environment, params string[] arguments)
    {
        static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var command = string.Join(' ', new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "chatport.dll") }.Concat(arguments).Select(Quote));
        var run = await RunAsync(["-qfec", command, "/dev/null"], input: null,
            environment: new Dictionary<string, string>(environment) { ["TERM"] = "xterm-256color", ["COLUMNS"] = "120" }, program: "script");
        return run;
    }
}
