using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Chatport.Tests.Cluster;

/// <summary>
/// A real <c>chatport serve</c> process (the built chatport.dll beside the tests), for tests that need
/// several nodes on one PostgreSQL and a node killed with SIGKILL.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChatportServer.AdminKey);
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public static async Task<NodeProcess> StartAsync(string connectionString, string dataDir, params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[
            Path.Combine(AppContext.BaseDirectory, "chatport.dll"), "serve", "--urls", $"http://127.0.0.1:{port}",
            $"--Chatport:DataDir={dataDir}", $"--Chatport:AdminKey={ChatportServer.AdminKey}",
            "--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={connectionString}",
            "--Chatport:Delivery:AllowPrivateTargets=true", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"chatport serve exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                if ((await node.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "chatport serve did not become ready within 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flushing — what a crashed machine does.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
