using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Chatport.Tests.Cluster;

namespace Chatport.Tests.Faults;

/// <summary>
/// Import load: <c>workers</c> loops, each POSTing arrays of <c>batchSize</c> seed samples with fresh
/// <c>channel.id</c>s to <c>/v1/conversations</c> of the nodes in turn, until stopped. Every conversation of a 200
/// is <see cref="Acknowledged"/> — the node promised to deliver it. A request the node never answered (it was
/// killed, its connection was refused) promised nothing. 503 must carry <c>Retry-After</c>; any other answer, and
/// a request with no answer within the request timeout, is a <see cref="Problems">problem</see>.
/// </summary>
internal sealed class ImportLoad : IAsyncDisposable
{
    private const int ProblemsKept = 20;

    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly List<HttpClient> _clients;
    private readonly ConcurrentBag<long>[] _acknowledgedBy;
    private readonly Func<DateTime, string> _during;
    private Task _workers = Task.CompletedTask;
    private int _problemCount;
    private int _requests;
    private int _unanswered;
    private int _refused;

    private ImportLoad(IEnumerable<Uri> nodes, TimeSpan requestTimeout, Func<DateTime, string> during)
    {
        _during = during;
        _clients = [.. nodes.Select(node =>
        {
            var client = new HttpClient { BaseAddress = node, Timeout = requestTimeout };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChatportServer.AdminKey);
            return client;
        })];
        _acknowledgedBy = [.. _clients.Select(_ => new ConcurrentBag<long>())];
    }

    /// <summary>Chat ids the nodes acknowledged (a 200 of their import).</summary>
    public ConcurrentBag<long> Acknowledged { get; } = [];

    /// <summary>Chat ids <paramref name="node"/> acknowledged: its dispatcher holds their deliveries' leases.</summary>
    public IReadOnlyCollection<long> AcknowledgedThrough(NodeProcess node) =>
        _acknowledgedBy[_clients.FindIndex(c => c.BaseAddress == node.BaseAddress)];

    /// <summary>Answers by status (and when they came, by <c>during</c>: e.g. "outage").</summary>
    public ConcurrentDictionary<string, int> Answers { get; } = new();

    public int ProblemCount => _problemCount;

    public IEnumerable<string> Problems => _problems;

    public override string ToString() =>
        $"{_requests} import request(s), {Acknowledged.Count} conversation(s) acknowledged, {_refused} refused or reset, {_unanswered} unanswered in time, "
        + $"answers {(Answers.IsEmpty ? "none" : string.Join(", ", Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}")))}, {ProblemCount} problem(s)";

    /// <param name="during">Labels an answer by the time it came (e.g. "outage" or "normal"); answers are counted by label and status.</param>
    public static ImportLoad Start(IEnumerable<NodeProcess> nodes, ChatIds ids, int workers = 4, int batchSize = 20, int pauseMs = 0,
        TimeSpan? requestTimeout = null, Func<DateTime, string>? during = null)
    {
        var load = new ImportLoad(nodes.Select(n => n.BaseAddress), requestTimeout ?? TimeSpan.FromSeconds(10), during ?? (_ => ""));
        load._workers = Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => load.WorkAsync(w, ids, batchSize, pauseMs))));
        return load;
    }

    private async Task WorkAsync(int worker, ChatIds ids, int batchSize, int pauseMs)
    {
        var n = worker;
        while (!_stopSending.IsCancellationRequested)
        {
            var batch = ids.Take(batchSize);
            var target = n++ % _clients.Count;
            var client = _clients[target];
            Interlocked.Increment(ref _requests);
            try
            {
                using var content = new StringContent(SeedBodies.Conversations(batch), Encoding.UTF8, "application/json");
                using var response = await client.PostAsync("/v1/conversations", content, _abort.Token);
                var status = (int)response.StatusCode;
                var label = _during(DateTime.UtcNow);
                Answers.AddOrUpdate(label.Length == 0 ? $"{status}" : $"{label} {status}", 1, (_, c) => c + 1);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    foreach (var id in batch)
                    {
                        Acknowledged.Add(id);
                        _acknowledgedBy[target].Add(id);
                    }
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref _refused);
                    if (response.Headers.RetryAfter is null || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        Problem($"import of chats {batch[0]}–{batch[^1]}: 503 without Retry-After or not a problem detail "
                            + $"(Retry-After: {response.Headers.RetryAfter?.ToString() ?? "none"}, Content-Type: {response.Content.Headers.ContentType?.ToString() ?? "none"})");
                    }
                }
                else
                {
                    Problem($"import of chats {batch[0]}–{batch[^1]}: {status} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException)
            {
                // Connection refused or reset: the node is gone (or going); it acknowledged nothing.
                Interlocked.Increment(ref _refused);
            }
            catch (TaskCanceledException) when (!_abort.IsCancellationRequested)
            {
                Interlocked.Increment(ref _unanswered);
                Problem($"import of chats {batch[0]}–{batch[^1]}: no answer within {client.Timeout.TotalSeconds:0} s ({_during(DateTime.UtcNow)})");
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return;
            }
            if (pauseMs > 0)
            {
                try
                {
                    await Task.Delay(pauseMs, _stopSending.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Problem(string problem)
    {
        if (Interlocked.Increment(ref _problemCount) <= ProblemsKept)
        {
            _problems.Enqueue(problem);
        }
    }

    /// <summary>
    /// Sends no new request and waits for the answers to those in flight (each bounded by the request timeout), so
    /// that every 200 the nodes give is counted.
    /// </summary>
    public async Task StopAsync()
    {
        await _stopSending.CancelAsync();
        if (await Task.WhenAny(_workers, Task.Delay(_clients[0].Timeout + TimeSpan.FromSeconds(5))) != _workers)
        {
            await _abort.CancelAsync();
            Problem("the import workers did not end after their last request's timeout");
        }
        await _workers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSending.CancelAsync();
        await _abort.CancelAsync();
        try
        {
            await _workers.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
        }
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        _stopSending.Dispose();
        _abort.Dispose();
    }
}
