namespace Chatport.Tests.Cli;

/// <summary>
/// The same commands on a terminal and piped: on a terminal (a pseudo-terminal from <c>script</c>) lists are drawn as
/// tables with colour, and simulate shows its summary; piped, the same command prints plain tab-separated lines with
/// no escape sequence — what a script can parse.
/// </summary>
public sealed class TerminalOutputTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Dictionary<string, string> Remote() => new() { ["CHATPORT_URL"] = _server.BaseAddress.ToString(), ["CHATPORT_KEY"] = ChatportServer.AdminKey };

    [Fact]
    public async Task A_list_is_a_table_on_a_terminal_and_tab_separated_lines_when_piped()
    {
        var terminal = await ChatportCli.RunOnTerminalAsync(Remote(), "accounts", "list");
        Assert.True(terminal.ExitCode == 0, terminal.ToString());
        Assert.Contains("\u001b[", terminal.Output, StringComparison.Ordinal); // styled
        Assert.Matches("[│┃|].*208", terminal.Output); // a table row

        var piped = await ChatportCli.RunAsync(["accounts", "list"], environment: Remote());
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.DoesNotContain("\u001b", piped.Output, StringComparison.Ordinal);
        var lines = piped.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains('\t', lines[0]);
        Assert.Contains(lines.Skip(1), line => line.StartsWith("208\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_on_a_terminal_ends_with_its_summary()
    {
        var terminal = await ChatportCli.RunOnTerminalAsync(Remote(), "simulate", "--account", "208", "--chats", "20", "--seed", "7");
        Assert.True(terminal.ExitCode == 0, terminal.ToString());
        Assert.Contains("completed", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("accepted", terminal.Output, StringComparison.Ordinal);
    }
}
