using System.CommandLine;
using Chatport.Hosting;

namespace Chatport.Cli;

/// <summary>The <c>chatport</c> command and its sub-commands.</summary>
internal static class ChatportCommandLine
{
    /// <summary>
    /// SIGTERM and Ctrl+C are left to the host (<c>serve</c>'s graceful stop, bounded by
    /// <c>Chatport:ShutdownTimeout</c>): System.CommandLine's own handling would end the process two seconds after
    /// the signal, whatever was still being sent.
    /// </summary>
    public static InvocationConfiguration Invocation { get; } = new() { ProcessTerminationTimeout = null };

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A usage error (System.CommandLine's: an unknown option, a missing one, a
    /// value that does not parse or fails a command's check) prints its errors and exits 2, as scripts expect.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        var exitCode = await parseResult.InvokeAsync(Invocation);
        return parseResult.Errors.Count > 0 ? Remote.ExitCodes.Usage : exitCode;
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Chatport: finished live-chat conversations, exported as JSON in real time to every URL that subscribes.")
        {
            ServeCommand(),
            BackupCommand.Build(),
            Simulate.SimulateCommand.Build(),
            VerifyCommand.Build(),
            Resources.AccountsCommand.Build(),
            Resources.DestinationsCommand.Build(),
            Resources.SourcesCommand.Build(),
            Resources.KeysCommand.Build(),
            ReplayCommand.Build(),
            Transfer.ImportCommand.Build(),
            Transfer.ExportCommand.Build(),
        };
        return root;
    }

    private static Command ServeCommand()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen, for example http://localhost:5080 (the default) or http://0.0.0.0:8080; several separated by ';'.",
        };
        var serve = new Command("serve", "Run the service: HTTP APIs, inbound hooks and delivery, on SQLite under ./data by default. "
            + "Any setting can follow as --Chatport:Section:Key=value.")
        {
            urls,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            var hostArgs = new List<string>(parseResult.UnmatchedTokens);
            if (parseResult.GetValue(urls) is { Length: > 0 } value)
            {
                hostArgs.Add("--urls");
                hostArgs.Add(value);
            }
            var app = ChatportApp.Build([.. hostArgs]);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return serve;
    }
}
