// Pins, byte for byte, what a script sees of webhook destinations: every answer of the destinations, deliveries and
// replay endpoints (status, Content-Type, Location, body) and every request a receiver gets (method, target,
// headers, body), compared with Golden/webhook-surface.txt.
//
// Only volatile values are replaced, by named placeholders numbered in order of first appearance:
//   <dst1>…      destination ids (dst_ + 16 hex digits, random)
//   <msg1>…      delivery ids, the webhook-id (msg_ + 26 base32 digits, partly random)
//   <secret1>…   generated signing secrets (the two fixed ones in this file stay as they are)
//   <receiver1>, <receiver2>, <chatport>   the loopback host:port of each receiver and of the service
//   <latencyMs>  the latencyMs numbers (checked to be numbers ≥ 0)
//   <traceId>, <traceparent>   the random W3C trace ids of problem details (and of a traceparent header, none today)
// Each webhook-signature entry is recomputed (WebhookSigner) under every secret the test knows and written as
// "v1,<signature by SECRET>", in the header's order; the header must also pass WebhookVerifier. Timestamps are
// not replaced: the service runs on a FakeTimeProvider that only this test moves.
//
// To regenerate the golden file after an intended change, run
//   CHATPORT_UPDATE_GOLDEN=1 dotnet test tests/Chatport.Tests --filter FullyQualifiedName~WebhookSurfaceGolden
// which writes tests/Chatport.Tests/Destinations/Golden/webhook-surface.txt in the source tree; review its diff.
// On a mismatch the test fails naming the first differing line and writes what it saw beside the test assembly
// (Destinations/Golden/webhook-surface.actual.txt).
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatport.Delivery.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Destinations;

/// <summary>The webhook destination API and the HTTP requests it makes, against a golden transcript.</summary>
public sealed partial class WebhookSurfaceGoldenTests : IAsyncLifetime
{
    private const string GoldenName = "webhook-surface.txt";

    // Two valid Standard Webhooks secrets (24 and 32 bytes) that the test sends, so they stay as they are in the transcript.
    private const string FixedSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string FixedSecret2 = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    // Bodies are shown as UTF-8 text; bytes that are not UTF-8 fail the test rather than turn into U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly StringBuilder _transcript = new();

    // Every secret the service showed or was given: the candidates a signature is recomputed with.
    private readonly List<string> _secrets = [FixedSecret, FixedSecret2];
    private ChatportServer _server = null!;
    private RecordingReceiver _receiver1 = null!;
    private RecordingReceiver _receiver2 = null!;
    private string _dst1 = "";
    private string _dst2 = "";

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver1 = new RecordingReceiver("receiver1", await Receiver.StartAsync());
        _receiver2 = new RecordingReceiver("receiver2", await Receiver.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver1.Receiver.DisposeAsync();
        await _receiver2.Receiver.DisposeAsync();
    }

    [Fact]
    public async Task The_webhook_destination_surface_and_the_requests_receivers_get_match_the_golden_file()
    {
        await CreateReadAndChangeAsync();
        await ErrorAnswersAsync();
        await TestSendsAsync();
        await GoneDisablesAsync();
        await DeliveryRetryAndReplayAsync();
        await DeleteAsync();

        Section("Requests at the receivers not shown above (none expected)");
        Shown(_receiver1);
        Shown(_receiver2);

        CompareWithGolden(Normalize(_transcript.ToString()));
    }

    /// <summary>Accounts; a destination with every field, one with only kind and url; read; list; every kind of PATCH.</summary>
    private async Task CreateReadAndChangeAsync()
    {
        Section("1. Accounts, create, read, list, change");
        await CallAsync("PUT", "/v1/accounts/208", """{"name":"Account 208","plan":"pro","inactivityTimeoutSeconds":1800}""");
        await CallAsync("PUT", "/v1/accounts/300", """{"name":"Account 300","plan":"free","inactivityTimeoutSeconds":1800}""");

        var full = await CallAsync("POST", "/v1/accounts/208/destinations", $$$"""
            {"kind":"webhook","name":"CRM","url":"{{{_receiver1.Url}}}","secret":"{{{FixedSecret}}}","kinds":["completed","missed"],"enabled":true,"timeoutSeconds":20,"retrySchedule":["0","30s","00:05:00"],"headers":{"Authorization":"Bearer crm-1","X-Team":"support"}}
            """);
        _dst1 = Id(full);
        Advance(TimeSpan.FromMinutes(1)); // a later createdAt, so the list's order (oldest first) is fixed
        var minimal = await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{_receiver2.Url}}"}""");
        _dst2 = Id(minimal);
        await CallAsync("GET", $"/v1/accounts/208/destinations/{_dst1}");
        await CallAsync("GET", "/v1/accounts/208/destinations");

        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("PATCH", $"/v1/accounts/208/destinations/{_dst1}", $$$"""
            {"name":"CRM (EU)","url":"{{{_receiver1.Url}}}?tenant=208&v=2","headers":{"Authorization":"Bearer crm-2","X-Region":"eu"},"timeoutSeconds":5,"retrySchedule":["0","0"],"kinds":["completed"]}
            """);
        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("PATCH", $"/v1/accounts/208/destinations/{_dst1}", """{"rotateSecret":true}""");
        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("PATCH", $"/v1/accounts/208/destinations/{_dst1}", $$"""{"secret":"{{FixedSecret2}}"}""");
        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("PATCH", $"/v1/accounts/208/destinations/{_dst1}", """{"enabled":false}""");
        await CallAsync("PATCH", $"/v1/accounts/208/destinations/{_dst1}", """{"enabled":true}""");
        await CallAsync("GET", $"/v1/accounts/208/destinations/{_dst1}");
    }

    /// <summary>Refused requests: nothing of them may be saved or sent.</summary>
    private async Task ErrorAnswersAsync()
    {
        Section("2. Error answers");
        const string Url = "https://crm.example.com/hook";
        await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"url":"{{Url}}"}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"kind":"fax","url":"{{Url}}"}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", """{"kind":"webhook","url":"ftp://crm.example.com/hook"}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{Url}}","secret":"not-a-secret"}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{Url}}","timeoutSeconds":0}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", $$$"""{"kind":"webhook","url":"{{{Url}}}","headers":{"webhook-signature":"x"}}""");
        await CallAsync("POST", "/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{Url}}","colour":"red"}""");
        await CallAsync("POST", "/v1/accounts/300/destinations", $$"""{"kind":"webhook","url":"{{Url}}"}""");
        await CallAsync("GET", "/v1/accounts/208/destinations/dst_unknown");
        await CallAsync("PATCH", "/v1/accounts/208/destinations/dst_unknown", """{"name":"x"}""");
        await CallAsync("DELETE", "/v1/accounts/208/destinations/dst_unknown");
        await CallAsync("POST", "/v1/accounts/208/destinations/dst_unknown/test");
        await CallAsync("POST", $"/v1/accounts/208/destinations/{_dst1}/replay", """{"status":"lost"}""");
        await CallAsync("GET", "/v1/deliveries/msg_unknown");
        await CallAsync("GET", "/v1/accounts/208/destinations");
    }

    /// <summary>The test button of both destinations: the answer, and what each receiver got.</summary>
    private async Task TestSendsAsync()
    {
        Section("3. Test sends");
        await CallAsync("POST", $"/v1/accounts/208/destinations/{_dst1}/test");
        await ReceivedAsync(_receiver1, 1);
        await CallAsync("POST", $"/v1/accounts/208/destinations/{_dst2}/test");
        await ReceivedAsync(_receiver2, 1);
    }

    /// <summary>
    /// A missed conversation (live events): only the second destination takes missed ones; its receiver answers 410,
    /// which disables it. This comes before the seed sample's import so that no two deliveries are made in the same
    /// millisecond: the log lists newest first by id, and ids of one millisecond order randomly.
    /// </summary>
    private async Task GoneDisablesAsync()
    {
        Section("4. A 410 disables the destination");
        Advance(TimeSpan.FromMinutes(1));
        _receiver2.Answer(2, 410);
        await CallAsync("POST", "/v1/events", """
            [{"id":"m1","accountId":208,"chatId":7,"at":1427470500000,"type":"message","message":{"type":"visitor","from":"visitor:v","content":"hello?"}},{"id":"m2","accountId":208,"chatId":7,"at":1427470510000,"type":"close","close":{"by":"agent","name":"John"}}]
            """);
        await ReceivedAsync(_receiver2, 2);
        await WaitForAsync($"/v1/accounts/208/deliveries?destination={_dst2}", list => list.GetProperty("items") is { } items
            && items.GetArrayLength() == 1 && items[0].GetProperty("status").GetString() == "failed");
        await WaitForAsync($"/v1/accounts/208/destinations/{_dst2}", destination => !destination.GetProperty("enabled").GetBoolean());
        await CallAsync("GET", $"/v1/accounts/208/destinations/{_dst2}");
    }

    /// <summary>The seed sample imported: a 500, the immediate retry's 200; the log; a replay of one delivery and by destination.</summary>
    private async Task DeliveryRetryAndReplayAsync()
    {
        Section("5. Delivery, retry, log, replay");
        Advance(TimeSpan.FromMinutes(1));
        _receiver1.Answer(2, 500);
        await CallAsync("POST", "/v1/conversations", await File.ReadAllTextAsync(SeedEvents.SamplePath));
        await ReceivedAsync(_receiver1, 3);
        var delivered = await WaitForAsync($"/v1/accounts/208/deliveries?destination={_dst1}", list => list.GetProperty("items") is { } items
            && items.GetArrayLength() == 1 && items[0].GetProperty("status").GetString() == "succeeded");
        var deliveryId = delivered.GetProperty("items")[0].GetProperty("id").GetString()!;
        await CallAsync("GET", "/v1/accounts/208/deliveries");
        await CallAsync("GET", $"/v1/deliveries/{deliveryId}");
        await CallAsync("GET", $"/v1/accounts/208/destinations/{_dst1}");

        Advance(TimeSpan.FromMinutes(1));
        // The receiver holds its answer until the replay's own answer is read: that answer shows the delivery as
        // queued, not already sent again.
        var hold = _receiver1.Hold(4);
        await CallAsync("POST", $"/v1/deliveries/{deliveryId}/replay");
        hold.SetResult();
        await ReceivedAsync(_receiver1, 4);
        await WaitForAsync($"/v1/deliveries/{deliveryId}", AttemptsAre(3));
        await CallAsync("GET", $"/v1/deliveries/{deliveryId}");

        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("POST", $"/v1/accounts/208/destinations/{_dst1}/replay", """{"until":"2026-11-26T09:00:00Z"}""");
        await CallAsync("POST", $"/v1/accounts/208/destinations/{_dst1}/replay", """{"since":"2026-11-26T09:00:00Z","status":"succeeded"}""");
        await ReceivedAsync(_receiver1, 5);
        await WaitForAsync($"/v1/deliveries/{deliveryId}", AttemptsAre(4));
        await CallAsync("GET", $"/v1/deliveries/{deliveryId}");
    }

    private async Task DeleteAsync()
    {
        Section("6. Delete");
        Advance(TimeSpan.FromMinutes(1));
        await CallAsync("DELETE", $"/v1/accounts/208/destinations/{_dst2}");
        await CallAsync("GET", $"/v1/accounts/208/destinations/{_dst2}");
        await CallAsync("GET", "/v1/accounts/208/destinations");
        await CallAsync("GET", "/v1/accounts/208/deliveries");
    }

    private static Func<JsonElement, bool> AttemptsAre(int count) => delivery =>
        delivery.GetProperty("status").GetString() == "succeeded" && delivery.GetProperty("attemptLog").GetArrayLength() == count;

    private static string Id(string createdJson) => JsonDocument.Parse(createdJson).RootElement.GetProperty("id").GetString()!;

    private void Section(string title) => _transcript.Append("\n######## ").Append(title).Append('\n');

    private void Advance(TimeSpan by)
    {
        _time.Advance(by);
        _transcript.Append("\n--- clock advanced to ").Append(_time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Sends one request to the service and writes it and the answer (status, Content-Type, Location, body) down.</summary>
    private async Task<string> CallAsync(string method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        _transcript.Append("\n>>> ").Append(method).Append(' ').Append(path).Append('\n');
        if (json is not null)
        {
            json = json.TrimEnd('\n');
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            AppendBody(json);
        }
        using var response = await _server.Client.SendAsync(request);
        var body = StrictUtf8.GetString(await response.Content.ReadAsByteArrayAsync());
        _transcript.Append("<<< ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
        if (response.Content.Headers.ContentType is { } contentType)
        {
            _transcript.Append("Content-Type: ").Append(contentType).Append('\n');
        }
        if (response.Headers.Location is { } location)
        {
            _transcript.Append("Location: ").Append(location.OriginalString).Append('\n');
        }
        AppendBody(body);
        foreach (Match secret in ShownSecret().Matches(body))
        {
            if (!_secrets.Contains(secret.Groups[1].Value))
            {
                _secrets.Add(secret.Groups[1].Value);
            }
        }
        return body;
    }

    /// <summary>Polls the service (unrecorded, bounded) until <paramref name="done"/> holds for the JSON at <paramref name="path"/>.</summary>
    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var json = await (await _server.Client.GetAsync(path)).Content.ReadAsStringAsync();
            var element = JsonDocument.Parse(json).RootElement.Clone();
            if (done(element))
            {
                return element;
            }
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never showed the expected state: {json}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the receiver has <paramref name="total"/> requests and writes down the ones not shown yet.</summary>
    private async Task ReceivedAsync(RecordingReceiver receiver, int total)
    {
        await receiver.WaitForAsync(total);
        Shown(receiver);
    }

    /// <summary>Writes down every request of the receiver not shown yet, in the order they arrived.</summary>
    private void Shown(RecordingReceiver receiver)
    {
        foreach (var request in receiver.Receiver.Requests.Where(r => r.Number > receiver.ShownCount).OrderBy(r => r.Number))
        {
            _transcript.Append("\n=== ").Append(receiver.Name).Append(" got request ").Append(request.Number).Append('\n');
            _transcript.Append(receiver.RequestLine(request.Number)).Append('\n');
            foreach (var (name, value) in request.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                var shown = name switch
                {
                    WebhookHeaders.Signature => Signatures(request),
                    "traceparent" when TraceParent().IsMatch(value) => "<traceparent>",
                    _ => value,
                };
                _transcript.Append(name).Append(": ").Append(shown).Append('\n');
            }
            _transcript.Append("body (").Append(request.Body.Length).Append(" bytes):\n");
            AppendBody(StrictUtf8.GetString(request.Body));
            receiver.ShownCount = request.Number;
        }
    }

    /// <summary>
    /// The webhook-signature header with each entry recomputed: "v1,&lt;signature by SECRET&gt;" when it is exactly
    /// the signature under a known secret, the entry itself otherwise (which then differs from the golden file).
    /// Every matching secret must also verify the whole header.
    /// </summary>
    private string Signatures(ReceivedRequest request)
    {
        var id = request.Headers[WebhookHeaders.Id];
        var timestamp = request.Headers[WebhookHeaders.Timestamp];
        var header = request.Headers[WebhookHeaders.Signature];
        var entries = header.Split(' ').Select(entry =>
        {
            foreach (var secret in _secrets)
            {
                var parsed = WebhookSecret.Parse(secret);
                if (entry == WebhookSigner.Sign(id, long.Parse(timestamp, CultureInfo.InvariantCulture), request.Body, parsed))
                {
                    var verification = WebhookVerifier.Verify(id, timestamp, header, request.Body, parsed, _time.GetUtcNow(), TimeSpan.FromMinutes(5));
                    Assert.True(verification.IsValid, $"request {request.Number}: {verification.Error}");
                    return $"v1,<signature by {secret}>";
                }
            }
            return entry;
        });
        return string.Join(' ', entries);
    }

    /// <summary>A body as lines of text; a carriage return is shown as &lt;CR&gt; so the golden file keeps plain line ends.</summary>
    private void AppendBody(string body) =>
        _transcript.Append(body.Length == 0 ? "(empty body)" : body.Replace("\r", "<CR>", StringComparison.Ordinal)).Append('\n');

    /// <summary>Replaces the volatile values by their placeholders (see the top of this file).</summary>
    private string Normalize(string text)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [new Uri(_receiver1.Url).Authority] = "<receiver1>",
            [new Uri(_receiver2.Url).Authority] = "<receiver2>",
            [_server.BaseAddress.Authority] = "<chatport>",
        };
        text = LoopbackHost().Replace(text, match => hosts.TryGetValue(match.Value, out var name) ? name : match.Value);
        text = Numbered(text, DestinationId(), "dst");
        text = Numbered(text, DeliveryId(), "msg");
        text = Numbered(text, AnySecret(), "secret", keep: [FixedSecret, FixedSecret2]);
        text = Latency().Replace(text, match =>
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(value >= 0, $"latencyMs {value} is negative");
            return "\"latencyMs\":<latencyMs>";
        });
        return TraceId().Replace(text, "\"traceId\":\"<traceId>\"");
    }

    /// <summary>Each distinct match becomes &lt;{name}N&gt;, N counting distinct values in order of first appearance.</summary>
    private static string Numbered(string text, Regex pattern, string name, string[]? keep = null)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        return pattern.Replace(text, match =>
        {
            if (keep?.Contains(match.Value) == true)
            {
                return match.Value;
            }
            if (!seen.TryGetValue(match.Value, out var placeholder))
            {
                placeholder = seen[match.Value] = $"<{name}{seen.Count + 1}>";
            }
            return placeholder;
        });
    }

    private static void CompareWithGolden(string actual)
    {
        if (Environment.GetEnvironmentVariable("CHATPORT_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceDirectory(), GoldenName);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual, StrictUtf8);
            return;
        }
        var golden = Path.Combine(AppContext.BaseDirectory, "Destinations", "Golden", GoldenName);
        Assert.True(File.Exists(golden), $"{golden} is missing; create it with CHATPORT_UPDATE_GOLDEN=1 (see the top of WebhookSurfaceGoldenTests.cs).");
        var expected = File.ReadAllText(golden, Encoding.UTF8).Replace("\r", "", StringComparison.Ordinal); // a CRLF checkout compares equal
        if (expected == actual)
        {
            return;
        }
        var actualPath = Path.Combine(AppContext.BaseDirectory, "Destinations", "Golden", "webhook-surface.actual.txt");
        File.WriteAllText(actualPath, actual, StrictUtf8);
        Assert.Fail(FirstDifference(expected, actual) + $"\nThe whole transcript is in {actualPath}; "
            + "if the change is intended, regenerate with CHATPORT_UPDATE_GOLDEN=1 (see the top of WebhookSurfaceGoldenTests.cs).");
    }

    /// <summary>The first line where the two transcripts differ, with the column and the lines before it.</summary>
    private static string FirstDifference(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var line = 0;
        while (line < want.Length && line < got.Length && want[line] == got[line])
        {
            line++;
        }
        var expectedLine = line < want.Length ? want[line] : "(end of file)";
        var actualLine = line < got.Length ? got[line] : "(end of file)";
        var column = 0;
        while (column < expectedLine.Length && column < actualLine.Length && expectedLine[column] == actualLine[column])
        {
            column++;
        }
        var context = string.Join('\n', want[Math.Max(0, line - 5)..line].Select(l => "    " + l));
        return $"The webhook surface differs from the golden file at line {line + 1}, column {column + 1}.\n"
            + $"Context (golden lines before it):\n{context}\n"
            + $"expected: {expectedLine}\n"
            + $"actual:   {actualLine}\n"
            + $"          {new string(' ', column)}^";
    }

    /// <summary>The golden folder in the source tree: found from the test assembly up to the folder holding Chatport.slnx.</summary>
    private static string SourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Chatport.slnx")))
            {
                return Path.Combine(directory.FullName, "tests", "Chatport.Tests", "Destinations", "Golden");
            }
        }
        throw new InvalidOperationException($"No Chatport.slnx above {AppContext.BaseDirectory}: cannot find the source tree to write the golden file into.");
    }

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]+")]
    private static partial Regex LoopbackHost();

    [GeneratedRegex(@"""secret"":""(whsec_[A-Za-z0-9+/=]+)""")]
    private static partial Regex ShownSecret();

    [GeneratedRegex(@"whsec_[A-Za-z0-9+/=]+")]
    private static partial Regex AnySecret();

    [GeneratedRegex(@"dst_[0-9a-f]{16}")]
    private static partial Regex DestinationId();

    [GeneratedRegex(@"msg_[0-9A-Z]{26}")]
    private static partial Regex DeliveryId();

    [GeneratedRegex(@"""latencyMs"":(-?[0-9][0-9.eE+-]*)")]
    private static partial Regex Latency();

    [GeneratedRegex(@"""traceId"":""[^""]*""")]
    private static partial Regex TraceId();

    [GeneratedRegex(@"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")]
    private static partial Regex TraceParent();

    /// <summary>
    /// A <see cref="Receiver"/> with scripted answers (200 unless told otherwise), an optional hold on one request, and
    /// the request line of each request (the receiver itself keeps headers and body).
    /// </summary>
    private sealed class RecordingReceiver
    {
        private readonly ConcurrentDictionary<int, int> _answers = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _holds = new();
        private readonly ConcurrentDictionary<int, string> _requestLines = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _recorded = new();

        public RecordingReceiver(string name, Receiver receiver)
        {
            Name = name;
            Receiver = receiver;
            receiver.Respond = RespondAsync;
        }

        public string Name { get; }

        public Receiver Receiver { get; }

        public string Url => Receiver.Url;

        /// <summary>How many of the receiver's requests the transcript shows.</summary>
        public int ShownCount { get; set; }

        /// <summary>The <paramref name="number"/>-th request (1-based) is answered <paramref name="status"/>.</summary>
        public void Answer(int number, int status) => _answers[number] = status;

        /// <summary>The <paramref name="number"/>-th request is answered only once the returned source is set.</summary>
        public TaskCompletionSource Hold(int number) =>
            _holds.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        /// <summary>
        /// Waits (bounded) until <paramref name="total"/> requests arrived and each one's request line is recorded
        /// (the receiver keeps a request just before it asks for the answer, which records the line).
        /// </summary>
        public async Task WaitForAsync(int total)
        {
            await Receiver.WaitForAsync(total);
            for (var number = 1; number <= total; number++)
            {
                await Recorded(number).Task.WaitAsync(TimeSpan.FromSeconds(15));
            }
        }

        /// <summary>Method, target and protocol of the <paramref name="number"/>-th request.</summary>
        public string RequestLine(int number) =>
            _requestLines.TryGetValue(number, out var line) ? line : $"(request line of request {number} not recorded)";

        private TaskCompletionSource Recorded(int number) =>
            _recorded.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task<int> RespondAsync(int number, HttpContext context)
        {
            var request = context.Request;
            _requestLines[number] = $"{request.Method} {request.Path}{request.QueryString} {request.Protocol}";
            Recorded(number).TrySetResult();
            if (_holds.TryGetValue(number, out var hold))
            {
                await hold.Task.WaitAsync(TimeSpan.FromSeconds(15));
            }
            return _answers.TryGetValue(number, out var status) ? status : 200;
        }
    }
}
