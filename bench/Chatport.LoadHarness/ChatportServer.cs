using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Chatport.LoadHarness;

/// <summary>
/// A Chatport process of its own (<c>dotnet chatport.dll serve</c>) on a free loopback port, with a fresh data
/// folder; killed (with its folder removed) on dispose.
/// </summary>
internal sealed class ChatportServer : IAsyncDisposable
{
    /// <summary>The admin key the process is started with (32 characters).</summary>
    public const string AdminKey = "bench-admin-key-0123456789abcdef";

    private readonly Process _process;
    private readonly string _dataDir;
    private readonly bool _keepData;
    private readonly Queue<string> _output = new();
    private int _disposed;

    private ChatportServer(Process process, Uri address, string dataDir, bool keepData)
    {
        _process = process;
        Address = address;
        _dataDir = dataDir;
        _keepData = keepData;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public string DataDir => _dataDir;

    /// <summary>Every server started and not yet disposed (killed on Ctrl+C, SIGTERM and exit).</summary>
    public static readonly List<ChatportServer> Running = [];

    /// <summary>Starts the process and waits for <c>GET /health/ready</c> to answer 200.</summary>
    /// <param name="settings">More command-line settings, e.g. <c>--Chatport:Storage:Provider=postgres</c>.</param>
    public static async Task<ChatportServer> StartAsync(string chatportDll, string? dataRoot, bool keepData, CancellationToken cancellationToken, IReadOnlyList<string>? settings = null)
    {
        var port = FreePort();
        var dataDir = dataRoot is null
            ? Directory.CreateTempSubdirectory("chatport-bench-").FullName
            : Directory.CreateDirectory(Path.Combine(Path.GetFullPath(dataRoot), $"chatport-bench-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}")).FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        foreach (var arg in new[]
        {
            chatportDll, "serve",
            "--urls", $"http://127.0.0.1:{port}",
            $"--Chatport:DataDir={dataDir}",
            $"--Chatport:AdminKey={AdminKey}",
            "--Chatport:Delivery:AllowPrivateTargets=true",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(settings ?? []))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var server = new ChatportServer(process, new Uri($"http://127.0.0.1:{port}"), dataDir, keepData);
        lock (Running)
        {
            Running.Add(server);
        }
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's resident set (VmRSS in /proc/PID/status), in KiB; null when it cannot be read.</summary>
    public long? ReadRssKiB()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:     123456 kB"
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The process's CPU time so far (user + system).</summary>
    public TimeSpan CpuTime() => ProcessCpu.Of(_process);

    /// <summary>The size of the data folder (SQLite file, WAL, …), in bytes.</summary>
    public long DataSize()
    {
        try
        {
            return new DirectoryInfo(_dataDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The last lines the process wrote (for a failure report).</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>Kills the process at once (also used on Ctrl+C and when the harness exits).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Kill();
        lock (Running)
        {
            Running.Remove(this);
        }
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Dispose();
        if (_keepData)
        {
            Console.WriteLine($"Chatport's data folder was kept: {_dataDir}");
            return;
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A loopback port nobody listens on right now (bound, read, closed).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Chatport exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{RecentOutput()}");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Chatport was not ready within 90 s:{Environment.NewLine}{RecentOutput()}");
    }
}
