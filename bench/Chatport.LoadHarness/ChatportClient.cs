using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Chatport.LoadHarness;

/// <summary>What <c>/metrics</c> says about deliveries (null fields: not exported yet).</summary>
/// <param name="GcHeapBytes">The managed heap after the last GC, all generations (<c>dotnet_gc_last_collection_heap_size_bytes</c>).</param>
internal sealed record DeliveryCounters(long Succeeded, long Failed, long AttemptsOk, long AttemptsFailed, long? QueueDepth, double? OldestPendingAgeSeconds, long? GcHeapBytes);

/// <summary>Chatport's HTTP API as the harness uses it: one pooled client, the admin key on every call.</summary>
internal sealed class ChatportClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private bool _metricsMissing;

    public ChatportClient(Uri address, string key)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public async Task CreateAccountAsync(long accountId, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsync($"/v1/accounts/{accountId}", JsonBody("""{"name":"bench","plan":"pro"}"""), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, "PUT /v1/accounts", cancellationToken);
    }

    /// <summary>Adds a webhook destination; its id.</summary>
    public async Task<string> CreateWebhookAsync(long accountId, Uri url, IReadOnlyList<string>? retrySchedule, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object> { ["kind"] = "webhook", ["name"] = "bench", ["url"] = url.ToString() };
        if (retrySchedule is not null)
        {
            request["retrySchedule"] = retrySchedule;
        }
        using var response = await _http.PostAsync($"/v1/accounts/{accountId}/destinations", JsonBody(JsonSerializer.Serialize(request)), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, "POST /v1/accounts/{id}/destinations", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Adds a destination of any kind from its JSON body.</summary>
    public async Task CreateDestinationAsync(long accountId, string json, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"/v1/accounts/{accountId}/destinations", JsonBody(json), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, "POST /v1/accounts/{id}/destinations", cancellationToken);
    }

    /// <summary>Adds an inbound hook (<c>{kind: "hook", auth: "token"}</c>); its path, <c>/hooks/TOKEN</c>.</summary>
    public async Task<string> CreateHookSourceAsync(long accountId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"/v1/accounts/{accountId}/sources", JsonBody("""{"kind":"hook","auth":"token"}"""), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, "POST /v1/accounts/{id}/sources", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.GetProperty("url").GetString()!;
    }

    /// <summary>POSTs a body to <paramref name="path"/>; null when it answered 2xx, else what went wrong.</summary>
    public async Task<string?> PostAsync(string path, byte[] body, string contentType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        try
        {
            using var response = await _http.PostAsync(path, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }
            return $"{(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the request timed out";
        }
    }

    /// <summary>POST /v1/conversations; null when it answered 200 (committed), else what went wrong.</summary>
    public async Task<string?> ImportAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _http.PostAsync("/v1/conversations", content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return null;
            }
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return $"{(int)response.StatusCode}: {Shorten(text)}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the import request timed out";
        }
    }

    /// <summary>The delivery counters from <c>/metrics</c>; null when the endpoint does not exist (or fails).</summary>
    public async Task<DeliveryCounters?> MetricsAsync(CancellationToken cancellationToken)
    {
        if (_metricsMissing)
        {
            return null;
        }
        string text;
        try
        {
            using var response = await _http.GetAsync("/metrics", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                _metricsMissing = true;
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        long succeeded = 0, failed = 0, attemptsOk = 0, attemptsFailed = 0;
        long? depth = null;
        long? heap = null;
        double? oldest = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("chatport_deliveries_total{"))
            {
                if (line.Contains("status=\"succeeded\"", StringComparison.Ordinal))
                {
                    succeeded += (long)Value(line);
                }
                else if (line.Contains("status=\"failed\"", StringComparison.Ordinal))
                {
                    failed += (long)Value(line);
                }
            }
            else if (line.StartsWith("chatport_delivery_attempts_total{"))
            {
                if (line.Contains("outcome=\"succeeded\"", StringComparison.Ordinal))
                {
                    attemptsOk += (long)Value(line);
                }
                else
                {
                    attemptsFailed += (long)Value(line);
                }
            }
            else if (line.StartsWith("chatport_delivery_queue_depth"))
            {
                depth = (long)Value(line);
            }
            else if (line.StartsWith("chatport_delivery_queue_oldest_age"))
            {
                oldest = Value(line);
            }
            else if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes"))
            {
                heap = (heap ?? 0) + (long)Value(line);
            }
        }
        return new DeliveryCounters(succeeded, failed, attemptsOk, attemptsFailed, depth, oldest, heap);
    }

    /// <summary>The newest delivery of the account with this status, as JSON; null when there is none.</summary>
    public async Task<JsonElement?> NewestDeliveryAsync(long accountId, string status, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/v1/accounts/{accountId}/deliveries?status={status}&limit=1", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, "GET /v1/accounts/{id}/deliveries", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var items = document.RootElement.GetProperty("items");
        return items.GetArrayLength() == 0 ? null : items[0].Clone();
    }

    public void Dispose() => _http.Dispose();

    private static double Value(ReadOnlySpan<char> line)
    {
        // name{labels} value [timestamp]
        var close = line.LastIndexOf('}');
        var rest = (close >= 0 ? line[(close + 1)..] : line[(line.IndexOf(' ') + 1)..]).Trim();
        var space = rest.IndexOf(' ');
        if (space >= 0)
        {
            rest = rest[..space];
        }
        return double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string call, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{call} answered {(int)response.StatusCode}, not {(int)expected}: {Shorten(text)}");
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
