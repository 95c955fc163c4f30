using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatport.Tests;

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel), standing in for a customer's server: it records every
/// request and answers what <see cref="Respond"/> says (200 by default).
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Decides the answer to the n-th request (1-based): status, and optional headers.</summary>
    public Func<int, HttpContext, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        var count = 0;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var n = Interlocked.Increment(ref count);
            receiver.Requests.Enqueue(new ReceivedRequest(
                n, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), buffer.ToArray()));
            context.Response.StatusCode = await receiver.Respond(n, context);
            await context.Response.WriteAsync($"answer {n}");
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (a bounded real-time wait for another thread, not a timing assertion) until <paramref name="count"/> requests arrived.</summary>
    public async Task<ReceivedRequest[]> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} request(s) at the receiver, got {Requests.Count}.");
            await Task.Delay(10);
        }
        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedRequest(int Number, IReadOnlyDictionary<string, string> Headers, byte[] Body);
