using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Delivery.Destinations.Webhook;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// The requests of one attempt, under one deadline: each is written down for the delivery log
/// (<c>POST /api/v2/tickets.json → 201</c>, never a query string or a credential); the first answer that is not 2xx
/// ends the attempt with the outcome the webhook gives that status (<see cref="HttpAnswers"/>).
/// </summary>
internal sealed class HttpSteps(HttpClient http, TimeProvider time, CancellationToken deadline)
{
    /// <summary>How much of a vendor's answer is read to find the ids in it.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    private readonly StringBuilder _log = new();
    private readonly long _started = time.GetTimestamp();
    private int? _lastStatus;
    private byte[] _lastAnswer = [];

    /// <summary>Sets a request's credentials (the preset's or the destination's <c>auth</c>).</summary>
    public Action<HttpRequestMessage>? Authorize { get; init; }

    public double ElapsedMs => time.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>Sends JSON (or nothing) and gives the answer's JSON (an empty object when it is not JSON).</summary>
    /// <param name="label">How the log names the request when its path must not be shown (a Slack webhook's path is its secret).</param>
    public async Task<JsonElement> JsonAsync(HttpMethod method, Uri uri, JsonNode? body, string? label = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var answer = await SendAsync(request, label);
        if (answer.Length == 0)
        {
            return Empty;
        }
        try
        {
            using var document = JsonDocument.Parse(answer);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    /// <summary>Sends the request; gives the answer's first <see cref="MaxAnswerBytes"/> when it is 2xx, else throws <see cref="StepRefusedException"/>.</summary>
    public async Task<byte[]> SendAsync(HttpRequestMessage request, string? label = null)
    {
        request.Headers.TryAddWithoutValidation("User-Agent", WebhookHeaderNames.UserAgent);
        Authorize?.Invoke(request);
        _log.Append(label ?? $"{request.Method} {request.RequestUri!.AbsolutePath}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline);
        var answer = await HttpAnswers.ReadStartAsync(response, MaxAnswerBytes, deadline);
        _lastStatus = (int)response.StatusCode;
        _lastAnswer = answer;
        _log.Append(" → ").Append(_lastStatus).Append(' ').Append(response.ReasonPhrase).Append('\n');
        var outcome = HttpAnswers.Outcome(response, ElapsedMs, null, time.GetUtcNow());
        if (!outcome.Delivered)
        {
            throw new StepRefusedException(outcome with { Detail = Detail() });
        }
        return answer;
    }

    /// <summary>A 2xx answer that does not hold what the vendor documents (an id): tried again on the schedule.</summary>
    public StepRefusedException Unexpected(string what) =>
        new(new SendOutcome(SendResult.Retry, ElapsedMs, _lastStatus, $"The answer was not what the vendor's API documents: {what}.", Detail()));

    /// <summary>Notes a step that made no request (a ticket already holding this version, say).</summary>
    public void Note(string line) => _log.Append(line).Append('\n');

    public SendOutcome Delivered() => new(SendResult.Delivered, ElapsedMs, _lastStatus, null, Detail());

    /// <summary>Not delivered, for a reason of Chatport's side (a template that does not render): trying again does not help.</summary>
    public SendOutcome Failed(string error) => new(SendResult.Failed, ElapsedMs, _lastStatus, error, Detail());

    public SendOutcome Retry(string error) => new(SendResult.Retry, ElapsedMs, null, error, Detail());

    /// <summary>The requests made and their statuses, then the start of the last answer; at most <see cref="SendOutcome.MaxDetailBytes"/>.</summary>
    private byte[] Detail()
    {
        var text = _lastAnswer.Length == 0 ? _log.ToString() : _log + "\n" + Encoding.UTF8.GetString(_lastAnswer, 0, Math.Min(_lastAnswer.Length, SendOutcome.MaxDetailBytes));
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= SendOutcome.MaxDetailBytes ? bytes : bytes[..SendOutcome.MaxDetailBytes];
    }

    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;
}

/// <summary>A far side answered a step with something other than 2xx: the attempt ends with <see cref="Outcome"/>.</summary>
internal sealed class StepRefusedException(SendOutcome outcome) : Exception(outcome.Error)
{
    public SendOutcome Outcome { get; } = outcome;
}
