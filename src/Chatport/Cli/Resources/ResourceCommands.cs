using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Chatport.Cli.Remote;

namespace Chatport.Cli.Resources;

/// <summary>What the resource commands (<c>accounts</c>, <c>destinations</c>, <c>sources</c>, <c>keys</c>) share.</summary>
internal static class ResourceCommands
{
    public delegate Task<int> Run(ParseResult parseResult, RemoteSettings settings, ChatportClient client, CancellationToken cancellationToken);

    /// <summary>A leaf command with its own symbols and the remote options (<c>--url</c>, <c>--key</c>, …, <c>--json</c>).</summary>
    public static Command Leaf(string name, string description, IEnumerable<Symbol> symbols, Run run)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                default:
                    throw new ArgumentException($"Cannot add {symbol.GetType().Name} {symbol.Name}.", nameof(symbols));
            }
        }
        var remote = new RemoteOptions();
        remote.AddTo(command);
        RemoteCommand.SetAction(command, remote, (parseResult, settings, client, cancellationToken) => run(parseResult, settings, client, cancellationToken));
        return command;
    }

    public static Option<long> AccountOption(string description = "The account (its id).") =>
        new Option<long>("--account") { Description = description, Required = true }
            .Check(id => id >= 1, "--account must be an account id (an integer > 0).");

    public static Argument<string> IdArgument(string what) => new("ID") { Description = $"The {what}'s id." };

    /// <summary><c>/v1/accounts/{id}</c> with <paramref name="rest"/> after it, each part escaped.</summary>
    public static string AccountPath(long accountId, params string[] rest) =>
        string.Create(CultureInfo.InvariantCulture, $"/v1/accounts/{accountId}")
        + string.Concat(rest.Select(part => "/" + Uri.EscapeDataString(part)));

    public static byte[] Utf8(JsonNode body) => System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());

    /// <summary>A usage error found when running (a body that is not JSON, nothing to change): its sentence, exit 2.</summary>
    public static RemoteException Usage(string message) => new(ExitCodes.Usage, message);
}
