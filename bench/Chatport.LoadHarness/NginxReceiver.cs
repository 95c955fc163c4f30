using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Chatport.LoadHarness;

/// <summary>
/// The webhook receiver as an nginx process (<c>--receiver nginx</c>): it reads each delivery whole, answers
/// 200 with an empty body and logs <c>$msec</c> and the <c>chatport-conversation-id</c> header, which this
/// class tails. It stands for the customer's server; on a 2-core machine it shares the cores with Chatport, and
/// it costs them less than the in-process Kestrel receiver, so the figure says more about Chatport. Arrival
/// times are nginx's wall clock, to the millisecond (fine for a burst's rate; coarse for latency percentiles).
/// </summary>
internal sealed class NginxReceiver : IReceiver
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly long[] _arrivals;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _tail;
    private readonly long _originTimestamp = Stopwatch.GetTimestamp();
    private readonly long _originUnixMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    private long _received;
    private long _first;
    private long _duplicates;
    private long _unknown;

    private NginxReceiver(Process process, string dir, Uri hookUrl, int capacity)
    {
        _process = process;
        _dir = dir;
        HookUrl = hookUrl;
        _arrivals = new long[capacity];
        _tail = Task.Run(() => TailAsync(_stop.Token));
    }

    public Uri HookUrl { get; }

    public long Distinct => Interlocked.Read(ref _first);

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Unknown => Interlocked.Read(ref _unknown);

    public long ArrivalOf(long id) => id > 0 && id < _arrivals.Length ? Volatile.Read(ref _arrivals[id]) : 0;

    public TimeSpan OwnProcessCpuTime() => ProcessCpu.Of(_process);

    private string LogPath => Path.Combine(_dir, "arrivals.log");

    public static async Task<NginxReceiver> StartAsync(int capacity, CancellationToken cancellationToken)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("--receiver nginx needs nginx (Debian: apt-get install nginx-light).");
        var port = ChatportServer.FreePort();
        var dir = Directory.CreateTempSubdirectory("chatport-bench-nginx-").FullName;
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), Config(dir, port));
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf") })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        var receiver = new NginxReceiver(process, dir, new Uri($"http://127.0.0.1:{port}/hook"), capacity);
        for (var tries = 0; ; tries++)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
                return receiver;
            }
            catch (SocketException) when (tries < 100 && !process.HasExited)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                var error = process.HasExited ? await process.StandardError.ReadToEndAsync(cancellationToken) : "not listening after 5 s";
                await receiver.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {error}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        await _stop.CancelAsync();
        await _tail;
        _process.Dispose();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // One process (no master), the arrivals log buffered in nginx and flushed every 100 ms; the timestamp is taken
    // when the request ends, so the buffering delays only when the harness sees it.
    private static string Config(string dir, int port) => $$"""
        master_process off;
        daemon off;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log warn;
        events { worker_connections 4096; }
        http {
            client_body_temp_path {{dir}}/body;
            proxy_temp_path {{dir}}/proxy;
            fastcgi_temp_path {{dir}}/fastcgi;
            uwsgi_temp_path {{dir}}/uwsgi;
            scgi_temp_path {{dir}}/scgi;
            access_log off;
            keepalive_requests 100000000;
            keepalive_timeout 120s;
            client_max_body_size 64m;
            client_body_buffer_size 64k;
            log_format arrivals '$msec $http_chatport_conversation_id';
            server {
                listen 127.0.0.1:{{port}};
                location = /hook {
                    access_log {{dir}}/arrivals.log arrivals buffer=256k flush=100ms;
                    return 200;
                }
            }
        }
        """;

    private async Task TailAsync(CancellationToken cancellationToken)
    {
        while (!File.Exists(LogPath) && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
        if (!File.Exists(LogPath))
        {
            return;
        }
        await using var file = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[1 << 20];
        var carried = 0;
        while (true)
        {
            var read = await file.ReadAsync(buffer.AsMemory(carried), CancellationToken.None);
            if (read == 0)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                await Task.Delay(20, CancellationToken.None);
                continue;
            }
            var filled = carried + read;
            var consumed = Parse(buffer.AsSpan(0, filled));
            carried = filled - consumed;
            buffer.AsSpan(consumed, carried).CopyTo(buffer);
        }
    }

    /// <summary>Counts the whole lines of <paramref name="text"/>; how many bytes they took.</summary>
    private int Parse(ReadOnlySpan<byte> text)
    {
        var consumed = 0;
        int end;
        while ((end = text[consumed..].IndexOf((byte)'\n')) >= 0)
        {
            Count(text.Slice(consumed, end));
            consumed += end + 1;
        }
        return consumed;
    }

    private void Count(ReadOnlySpan<byte> line)
    {
        Interlocked.Increment(ref _received);
        var space = line.IndexOf((byte)' ');
        if (space < 0 || !decimal.TryParse(Encoding.ASCII.GetString(line[..space]), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !long.TryParse(Encoding.ASCII.GetString(line[(space + 1)..]), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || id <= 0 || id >= _arrivals.Length)
        {
            Interlocked.Increment(ref _unknown);
            return;
        }
        var unixMs = (long)(seconds * 1000);
        var at = Math.Max(1, _originTimestamp + ((unixMs - _originUnixMs) * Stopwatch.Frequency / 1000));
        if (Interlocked.CompareExchange(ref _arrivals[id], at, 0) == 0)
        {
            Interlocked.Increment(ref _first);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }
    }
}
