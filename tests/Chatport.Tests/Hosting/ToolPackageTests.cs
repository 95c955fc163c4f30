using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chatport.Cli;

namespace Chatport.Tests.Hosting;

/// <summary>
/// The .NET tool package, as a user gets it: <c>dotnet pack</c> of src/Chatport, <c>dotnet tool install</c> from that
/// folder alone (no other feed: the package carries everything it needs), then the installed <c>chatport</c> command.
/// Its help lists every command the root command has (taken from <see cref="ChatportCommandLine.Build"/>, so a new
/// command is covered without touching this test), and <c>chatport serve</c> answers /health/live and renders the
/// portal — Razor Pages, embedded assets, appsettings.json beside the binary and the <c>es</c> satellite assembly all
/// came with the package. Slow (a Release build, 30–90 s): one test.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatport-tool-").FullName;

    [Fact]
    public async Task The_packed_tool_installs_lists_every_command_and_serves_the_portal()
    {
        var feed = Path.Combine(_root, "feed");
        var tools = Path.Combine(_root, "tools");
        // Its own bin and obj (--artifacts-path): the pack neither reads nor overwrites the build these tests run from.
        await Commands.OutputAsync("dotnet", "pack", Path.Combine(RepoRoot(), "src", "Chatport"), "-c", "Release",
            "-o", feed, "--artifacts-path", Path.Combine(_root, "build"), "-nologo");
        var package = Assert.Single(Directory.GetFiles(feed, "chatport.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["chatport.".Length..];

        await Commands.OutputAsync("dotnet", "tool", "install", "chatport", "--tool-path", tools, "--source", feed, "--version", version);
        var chatport = Path.Combine(tools, "chatport");

        var help = await Commands.OutputAsync(chatport, "--help");
        var commands = ChatportCommandLine.Build().Subcommands.Select(c => c.Name).ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, name => Assert.Matches($@"(?m)^\s+{name}\b", help));

        var port = FreePort();
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(chatport)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var arg in (string[])["serve", "--urls", $"http://127.0.0.1:{port}", $"--Chatport:DataDir={Path.Combine(_root, "data")}"])
        {
            start.ArgumentList.Add(arg);
        }
        using var serve = Process.Start(start)!;
        serve.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        serve.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilLiveAsync(client, serve, output, TimeSpan.FromSeconds(60));

            using var login = await client.GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Contains("<h1>Sign in to Chatport</h1>", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var spanish = new HttpRequestMessage(HttpMethod.Get, "/login");
            spanish.Headers.AcceptLanguage.ParseAdd("es");
            using var inSpanish = await client.SendAsync(spanish);
            Assert.Equal(HttpStatusCode.OK, inSpanish.StatusCode);
            Assert.Contains("<h1>Iniciar sesión en Chatport</h1>", await inSpanish.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var css = await client.GetAsync("/portal/portal.css");
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync();
            }
        }
    }

    private static async Task WaitUntilLiveAsync(HttpClient client, Process serve, ConcurrentQueue<string> output, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            Assert.False(serve.HasExited, $"chatport serve exited before it answered /health/live. Output:\n{string.Join('\n', output)}");
            try
            {
                using var live = await client.GetAsync("/health/live");
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"chatport serve did not answer /health/live within {within.TotalSeconds:0} s. Output:\n{string.Join('\n', output)}");
            await Task.Delay(100);
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chatport.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (Chatport.slnx) was not found above the test output.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
