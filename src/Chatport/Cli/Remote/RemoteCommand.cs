using System.CommandLine;

namespace Chatport.Cli.Remote;

/// <summary>Runs a command that talks to a running Chatport: its failures become a sentence on stderr and an exit code.</summary>
internal static class RemoteCommand
{
    /// <summary>Sets <paramref name="command"/>'s action: <paramref name="run"/> with a client built from the options.</summary>
    public static void SetAction(Command command, RemoteOptions options, Func<ParseResult, RemoteSettings, ChatportClient, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = options.Read(parseResult);
            using var client = new ChatportClient(settings);
            try
            {
                return await run(parseResult, settings, client, cancellationToken);
            }
            catch (RemoteException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return e.ExitCode;
            }
        });

    /// <summary>Whether output goes to a person: stdout is a terminal (not a pipe or a file) and no JSON was asked for.</summary>
    public static bool ToTerminal(RemoteSettings settings) => !settings.Json && !Console.IsOutputRedirected;
}
