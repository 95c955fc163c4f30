using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatport.LoadHarness;

/// <summary>
/// The loopback ceiling: a bare Kestrel that reads each POST whole, counts it and answers 200 with an empty body
/// (nothing parsed, nothing kept). It runs as a process of its own (the harness started again with the hidden verb
/// <c>ceiling-server PORT</c>), so wrk measures it as it measures Chatport and its CPU is its own.
/// </summary>
internal sealed class CeilingServer : IAsyncDisposable
{
    private readonly Process _process;

    private CeilingServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>Where it takes POSTs (any path).</summary>
    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>The hidden verb: serve on 127.0.0.1:<paramref name="port"/> until killed.</summary>
    public static async Task<int> ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        long posts = 0;
        app.MapGet("/count", () => Interlocked.Read(ref posts).ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var reader = context.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
            Interlocked.Increment(ref posts);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts <c>dotnet Chatport.LoadHarness.dll ceiling-server PORT</c> and waits until it answers.</summary>
    public static async Task<CeilingServer> StartAsync(CancellationToken cancellationToken)
    {
        var port = ChatportServer.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CeilingServer).Assembly.Location);
        start.ArgumentList.Add("ceiling-server");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the ceiling server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new CeilingServer(process, new Uri($"http://127.0.0.1:{port}/hook"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The ceiling server exited with code {process.ExitCode}.");
            }
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/count", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
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
        throw new TimeoutException("The ceiling server did not answer within 60 s.");
    }

    /// <summary>The POSTs it counted.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return long.Parse(await http.GetStringAsync(new Uri(Url, "/count"), cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public TimeSpan CpuTime() => ProcessCpu.Of(_process);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
