using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Chatport.Tests.Cluster;

/// <summary>
/// A real <c>chatport serve</c> process (the built chatport.dll beside the tests), for tests that need
/// several nodes on one PostgreSQL, a node killed with SIGKILL or stopped with SIGTERM, and a node restarted
/// on the same data dir. What the process writes (stdout and stderr, across restarts) is kept in
/// <see cref="Output"/> for assertion messages.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 400;

    private readonly string _dataDir;
    private readonly string[] _settings;
    private readonly ConcurrentQueue<string> _output = new();
    private Process _process;
    private int _port;

    private NodeProcess(string dataDir, string[] settings, Process process, int port)
    {
        _dataDir = dataDir;
        _settings = settings;
        _process = process;
        _port = port;
        Client = NewClient(BaseAddress);
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    /// <summary>A client with the admin key (30 s timeout); replaced when a restart moves the node to a new port.</summary>
    public HttpClient Client { get; private set; }

    public int Pid => _process.Id;

    public string DataDir => _dataDir;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process (and its earlier incarnations) wrote, for assertion messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>A node on PostgreSQL (<paramref name="connectionString"/>).</summary>
    public static Task<NodeProcess> StartAsync(string connectionString, string dataDir, params string[] settings) =>
        StartCoreAsync(dataDir, ["--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={connectionString}", .. settings]);

    /// <summary>A node on SQLite: no Storage settings, its store is <c>{dataDir}/chatport.db</c>.</summary>
    public static Task<NodeProcess> StartSqliteAsync(string dataDir, params string[] settings) => StartCoreAsync(dataDir, settings);

    private static async Task<NodeProcess> StartCoreAsync(string dataDir, string[] settings)
    {
        var port = FreePort();
        var node = new NodeProcess(dataDir, settings, null!, port);
        node._process = node.Launch();
        try
        {
            await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>
    /// Starts the node again, with the same data dir and settings, once the previous process has exited (after
    /// <see cref="Kill"/> or <see cref="Terminate"/>); on the same port unless <paramref name="newPort"/>. Returns
    /// when <c>/health/ready</c> answers 200 — or <c>/health/live</c>, with <paramref name="untilLive"/> (a node that
    /// cannot be ready, on a read-only data dir).
    /// </summary>
    public async Task RestartAsync(bool newPort = false, bool untilLive = false)
    {
        Assert.True(_process.HasExited, $"RestartAsync: the previous process (pid {_process.Id}) is still running.");
        _process.Dispose();
        if (newPort)
        {
            _port = FreePort();
            Client.Dispose();
            Client = NewClient(BaseAddress);
        }
        _process = Launch();
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(60), untilLive ? "/health/live" : "/health/ready");
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[
            Path.Combine(AppContext.BaseDirectory, "chatport.dll"), "serve", "--urls", $"http://127.0.0.1:{_port}",
            $"--Chatport:DataDir={_dataDir}", $"--Chatport:AdminKey={ChatportServer.AdminKey}",
            "--Chatport:Delivery:AllowPrivateTargets=true", "--Logging:LogLevel:Default=Warning", .. _settings])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        Keep($"--- chatport serve started: pid {process.Id}, port {_port} ---");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan within, string path = "/health/ready")
    {
        var deadline = DateTime.UtcNow + within;
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            Assert.False(_process.HasExited,
                $"chatport serve exited with {(_process.HasExited ? _process.ExitCode : 0)} before it was ready. Output:\n{Output}");
            try
            {
                if ((await probe.GetAsync(path)).StatusCode == HttpStatusCode.OK)
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
            Assert.True(DateTime.UtcNow < deadline, $"chatport serve did not become ready within {within.TotalSeconds:0} s. Output:\n{Output}");
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

    /// <summary>SIGTERM: what systemd, Docker and Kubernetes send to stop a node; see <see cref="WaitForExitAsync"/>.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            Assert.Fail($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The exit code once the process has exited, or null if it is still running after <paramref name="within"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return _process.ExitCode;
    }

    private const int SigTerm = 15;

    // DllImport rather than LibraryImport: the generated marshalling needs AllowUnsafeBlocks, and (int, int) -> int
    // needs no marshalling at all.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
#pragma warning restore SYSLIB1054

    private static HttpClient NewClient(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChatportServer.AdminKey);
        return client;
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
