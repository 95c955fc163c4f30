using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Chatport.Cli.Remote;

/// <summary>
/// A running Chatport's HTTP API, as the command line calls it: every call bounded by the timeout, a failure to reach
/// the server or a refused key turned into a <see cref="RemoteException"/> with its sentence and exit code.
/// </summary>
internal sealed class ChatportClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RemoteSettings _settings;

    public ChatportClient(RemoteSettings settings, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = settings.Timeout }, disposeHandler: true)
        {
            BaseAddress = settings.Url,
            Timeout = settings.Timeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("chatport-cli", "1"));
        if (settings.Key is { } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>The server's display address, as errors name it.</summary>
    public string Address => _settings.Url.GetLeftPart(UriPartial.Authority);

    public Task<RemoteAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<RemoteAnswer> PostJsonAsync(string path, byte[] json, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, path, json, cancellationToken);

    public Task<RemoteAnswer> PutJsonAsync(string path, byte[] json, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Put, path, json, cancellationToken);

    public Task<RemoteAnswer> PatchJsonAsync(string path, byte[] json, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Patch, path, json, cancellationToken);

    public Task<RemoteAnswer> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    private Task<RemoteAnswer> SendJsonAsync(HttpMethod method, string path, byte[] json, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(method, path)
        {
            Content = new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        }, cancellationToken);

    /// <summary>
    /// Sends one request. An answer (any status but 401 and 403) is returned with its JSON, if it has any; a call that
    /// reaches no server, takes longer than the timeout, or whose key is refused throws.
    /// </summary>
    private async Task<RemoteAnswer> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var message = request();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteException(ExitCodes.Unreachable,
                $"Cannot reach Chatport at {Address}: no answer within {_settings.Timeout.TotalSeconds:0} s (--timeout). Is `chatport serve` running and not overloaded?");
        }
        catch (HttpRequestException e)
        {
            throw new RemoteException(ExitCodes.Unreachable, $"Cannot reach Chatport at {Address}: {Why(e)}. Is `chatport serve` running?");
        }
        using (response)
        {
            var answer = new RemoteAnswer(response.StatusCode, body);
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => throw new RemoteException(ExitCodes.WrongKey,
                    $"The key was refused (401 Unauthorized): {answer.Detail() ?? "no reason given"} The key used: {_settings.KeySource}."),
                HttpStatusCode.Forbidden => throw new RemoteException(ExitCodes.WrongKey,
                    $"The key may not do this (403 Forbidden): {answer.Detail() ?? "no reason given"} The key used: {_settings.KeySource}."),
                _ => answer,
            };
        }
    }

    private static string Why(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name is not known",
                    SocketError.TimedOut => "the connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
                    SocketError.ConnectionReset => "the connection was reset",
                    _ => socket.Message,
                };
            }
        }
        return e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => "the TLS handshake failed (" + e.Message + ")",
            HttpRequestError.InvalidResponse => "what answered is not an HTTP server",
            _ => e.Message,
        };
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer of the server: its status and body.</summary>
internal sealed class RemoteAnswer(HttpStatusCode status, byte[] body)
{
    public HttpStatusCode Status { get; } = status;

    public byte[] Body { get; } = body;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    public JsonDocument? Json()
    {
        if (Body.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A problem detail's <c>detail</c> (or <c>title</c>), when the body is one.</summary>
    public string? Detail()
    {
        using var json = Json();
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }
        return root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString()
            : root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString()
            : null;
    }

    /// <summary>
    /// The refusal in plain words: the status, the problem's <c>detail</c>, and its <c>errors</c> one a line (a
    /// validation problem's field → messages, or a source's list of items with their <c>error</c>), at most
    /// <paramref name="maxErrors"/>.
    /// </summary>
    public string Describe(int maxErrors = 10)
    {
        var text = new StringBuilder();
        text.Append("Chatport refused: ").Append((int)Status).Append(' ').Append(Status);
        using var json = Json();
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            var raw = Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300))).Trim();
            return raw.Length == 0 ? text.Append('.').ToString() : text.Append(": ").Append(raw).ToString();
        }
        text.Append(": ").Append(Detail() ?? "no detail given");
        if (root.TryGetProperty("errors", out var errors))
        {
            var shown = 0;
            foreach (var line in ErrorLines(errors))
            {
                if (shown++ == maxErrors)
                {
                    text.Append(Environment.NewLine).Append("  …");
                    break;
                }
                text.Append(Environment.NewLine).Append("  ").Append(line);
            }
        }
        return text.ToString();
    }

    public static IEnumerable<string> ErrorLines(JsonElement errors)
    {
        if (errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(" ", field.Value.EnumerateArray().Select(m => m.ToString()))
                    : field.Value.ToString();
                yield return $"{field.Name}: {messages}";
            }
        }
        else if (errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                yield return ErrorItem(item);
            }
        }
    }

    /// <summary>One item of an <c>errors</c> list: <c>event ID: why</c> (or the item as it is).</summary>
    public static string ErrorItem(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("error", out var error))
        {
            return item.ToString();
        }
        var id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var index = item.TryGetProperty("index", out var indexElement) ? indexElement.ToString() : null;
        return id is not null ? $"event {id}: {error}" : index is not null ? $"item {index}: {error}" : error.ToString();
    }
}
