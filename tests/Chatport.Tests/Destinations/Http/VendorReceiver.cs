using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// A real HTTP server on a loopback port standing in for a vendor's API (Zendesk, HubSpot, Slack…): every request,
/// whatever its method and path, is recorded and answered by <see cref="Handle"/>, which a test writes as a small
/// fake of the vendor (keeping its tickets or notes, so a second run can find what the first made).
/// </summary>
internal sealed class VendorReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();

    private VendorReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<VendorRequest> Requests { get; } = new();

    /// <summary>Answers a request; called one request at a time.</summary>
    public Func<VendorRequest, VendorAnswer> Handle { get; set; } = _ => new VendorAnswer(200);

    /// <summary>The origin, <c>http://127.0.0.1:port</c>.</summary>
    public string Origin => _app.Urls.First();

    public static async Task<VendorReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new VendorReceiver(app);
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            VendorAnswer answer;
            lock (receiver._gate)
            {
                var request = new VendorRequest(++count, context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                    context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
                receiver.Requests.Enqueue(request);
                answer = receiver.Handle(request);
            }
            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (bounded, for another thread) until the requests recorded satisfy <paramref name="done"/>.</summary>
    public async Task<VendorRequest[]> WaitForAsync(Func<VendorRequest[], bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            VendorRequest[] requests = [.. Requests];
            if (done(requests))
            {
                return requests;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The vendor never saw the expected requests: {string.Join("; ", requests.Select(r => r.ToString()))}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record VendorRequest(int Number, string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The value of a query parameter, unescaped.</summary>
    public string? QueryValue(string name) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public override string ToString() => $"#{Number} {Method} {Path}{Query}";
}

internal sealed record VendorAnswer(int Status, string Body = "{}", string? RetryAfter = null);
