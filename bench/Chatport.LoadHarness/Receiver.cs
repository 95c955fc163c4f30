using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatport.LoadHarness;

/// <summary>
/// The webhook receiver: an in-process Kestrel on a loopback port that reads each delivery whole, records
/// the first arrival time (<see cref="Stopwatch.GetTimestamp"/>) per conversation id (the
/// <c>chatport-conversation-id</c> header), and answers 200 with an empty body. Ids are 1 to capacity − 1.
/// </summary>
internal sealed class Receiver : IReceiver
{
    public const string ConversationIdHeader = "chatport-conversation-id";

    private readonly WebApplication _app;
    private readonly long[] _arrivals;
    private long _received;
    private long _first;
    private long _duplicates;
    private long _unknown;
    private long _bytes;

    private Receiver(WebApplication app, int capacity)
    {
        _app = app;
        _arrivals = new long[capacity];
    }

    /// <summary>The URL deliveries are POSTed to.</summary>
    public Uri HookUrl { get; private set; } = null!;

    /// <summary>Distinct conversations received so far.</summary>
    public long Distinct => Interlocked.Read(ref _first);

    /// <summary>All requests, repeats included.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Requests for a conversation that had already arrived (at-least-once delivery).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Requests without a known conversation id.</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Body bytes received.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The first arrival of conversation <paramref name="id"/> (a Stopwatch timestamp), or 0.</summary>
    public long ArrivalOf(long id) => id > 0 && id < _arrivals.Length ? Volatile.Read(ref _arrivals[id]) : 0;

    public TimeSpan OwnProcessCpuTime() => TimeSpan.Zero;

    public static async Task<Receiver> StartAsync(int capacity, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        var receiver = new Receiver(app, capacity);
        app.MapPost("/hook", (RequestDelegate)receiver.HandleAsync);
        await app.StartAsync(cancellationToken);
        receiver.HookUrl = new Uri(new Uri(app.Urls.First()), "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        // Read the whole body, as a real receiver must before it can verify the signature.
        var reader = context.Request.BodyReader;
        long length = 0;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            length += result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _bytes, length);
        Interlocked.Increment(ref _received);
        if (long.TryParse(context.Request.Headers[ConversationIdHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && id > 0 && id < _arrivals.Length)
        {
            if (Interlocked.CompareExchange(ref _arrivals[id], now, 0) == 0)
            {
                Interlocked.Increment(ref _first);
            }
            else
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
        else
        {
            Interlocked.Increment(ref _unknown);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }
}
