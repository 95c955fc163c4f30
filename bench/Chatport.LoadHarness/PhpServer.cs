using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>
/// The seed's PHP receiver as bench/inbound/run.sh runs it: Debian's nginx (bench/inbound/nginx.conf, 2 workers)
/// in front of php-fpm (bench/inbound/php-fpm.conf, 4 static children) running bench/inbound/php/hook.php, which
/// overwrites data.json with each body. Everything lives in a temp folder removed on dispose; the system's
/// nginx and php-fpm services are never touched.
/// </summary>
internal sealed class PhpServer : IAsyncDisposable
{
    private readonly Process _fpm;
    private readonly Process _nginx;
    private readonly string _dir;

    private PhpServer(Process fpm, Process nginx, string dir, Uri url)
    {
        _fpm = fpm;
        _nginx = nginx;
        _dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The folder hook.php runs in (data.json is written there).</summary>
    public string WwwDir => Path.Combine(_dir, "www");

    /// <summary>nginx's and php-fpm's CPU time, every worker and child included.</summary>
    public TimeSpan CpuTime() => ProcessTreeCpu.Of(_fpm.Id, _nginx.Id);

    public static async Task<PhpServer> StartAsync(CancellationToken cancellationToken)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("php needs nginx (Debian: apt-get install nginx; bench/suite.sh installs it).");
        var fpm = Directory.Exists("/usr/sbin") ? Directory.GetFiles("/usr/sbin", "php-fpm*").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (fpm is null)
        {
            throw new InvalidOperationException("php needs php-fpm (Debian: apt-get install php-fpm; bench/suite.sh installs it).");
        }
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("php runs on Linux only (Debian's nginx and php-fpm).");
        }
        var inbound = Wrk.ScriptsDir;
        var port = ChatportServer.FreePort();
        var dir = Directory.CreateTempSubdirectory("chatport-bench-php-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101); // nginx's workers (nobody) reach the socket and the root
        Directory.CreateDirectory(Path.Combine(dir, "www"));
        Directory.CreateDirectory(Path.Combine(dir, "logs"));
        File.SetUnixFileMode(Path.Combine(dir, "www"), (UnixFileMode)0b111_111_111); // hook.php may run as any user
        File.Copy(Path.Combine(inbound, "php", "hook.php"), Path.Combine(dir, "www", "hook.php"));
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), File.ReadAllText(Path.Combine(inbound, "nginx.conf"))
            .Replace("__TMP__", dir, StringComparison.Ordinal).Replace("__PORT__", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var fpmStart = new ProcessStartInfo(fpm) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-y", Path.Combine(inbound, "php-fpm.conf"), "-F", "-R" })
        {
            fpmStart.ArgumentList.Add(arg);
        }
        fpmStart.Environment["BENCH_TMP"] = dir;
        var fpmProcess = Start(fpmStart);
        var socket = Path.Combine(dir, "php-fpm.sock");
        for (var i = 0; i < 100 && !File.Exists(socket); i++)
        {
            await Task.Delay(100, cancellationToken);
        }
        var nginxStart = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", dir + "/", "-c", Path.Combine(dir, "nginx.conf") })
        {
            nginxStart.ArgumentList.Add(arg);
        }
        var nginxProcess = Start(nginxStart);
        var server = new PhpServer(fpmProcess, nginxProcess, dir, new Uri($"http://127.0.0.1:{port}/hook.php"));
        if (!File.Exists(socket))
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("php-fpm did not start (its socket never appeared).");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sample = await File.ReadAllBytesAsync(Wrk.SamplePath, cancellationToken);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var content = new ByteArrayContent(sample);
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(server.Url, content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return server;
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
        await server.DisposeAsync();
        throw new InvalidOperationException($"nginx + php-fpm did not answer 2xx at {server.Url}.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _nginx, _fpm })
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static Process Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
