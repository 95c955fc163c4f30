using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Chatport.LoadHarness;

/// <summary>
/// Live export of whole chats: NDJSON requests to <c>POST /v1/events</c> of 1,000 chats of 6 events each (the
/// visitor's message with the visitor, an agent joins, the agent answers, the visitor, the agent, the visitor closes),
/// <c>--concurrency</c> requests in flight, for the warm-up and then the measured seconds. Each chat is closed, so
/// each is finished and delivered to the harness's receiver as a signed webhook POST. Reports the conversations
/// the receiver confirmed per second over the measured window.
/// </summary>
internal static class LiveScenario
{
    private const int ChatsPerRequest = 1000;
    private const int Capacity = 6_000_000;

    public static async Task<Row> RunAsync(HarnessOptions options, string dll, CancellationToken cancellationToken)
    {
        await using var run = await ChatportRun.StartAsync(options, dll, cancellationToken);
        var account = HookScenario.AccountId;
        await run.Client.CreateAccountAsync(account, cancellationToken);
        await using var receiver = await Receiver.StartAsync(Capacity, cancellationToken);
        await run.Client.CreateWebhookAsync(account, receiver.HookUrl, null, cancellationToken);
        Console.WriteLine($"live: Chatport on {run.Storage} (pid {run.Server.ProcessId}), NDJSON requests of {ChatsPerRequest:N0} chats × 6 events, "
            + $"{options.Concurrency} in flight, {options.WrkWarmupSeconds} s warm-up + {options.WrkSeconds} s measured");

        var sender = new Sender(run, account, options.Concurrency, cancellationToken);
        // Warm-up: rounds of the warm-up seconds, each letting every acknowledged chat arrive, until the server's
        // tier-up compiler is quiet (TieredJit), so the measured phase starts on a warm server with an empty outbox.
        long warmed = 0;
        await TieredJit.WarmUpAsync(run.Server.ProcessId, TimeSpan.FromSeconds(options.WrkWarmupSeconds), async () =>
        {
            var warm = await sender.SendAsync(options.WrkWarmupSeconds, minRequests: 0);
            await WaitDeliveredAsync(receiver, warm.Last, cancellationToken);
            warmed += warm.Acked;
        });
        Console.WriteLine($"  warm-up: {Report.N(warmed)} chats acknowledged and delivered (not measured); load {Report.LoadAverage()}");

        // Measured: send for --duration seconds and at least two rounds of requests, then wait until every chat
        // acknowledged in this phase has arrived; the rate is those chats over first send → last arrival.
        var cpuBefore = run.Server.CpuTime();
        var phase = await sender.SendAsync(options.WrkSeconds, minRequests: 2 * options.Concurrency);
        var delivered = await WaitDeliveredAsync(receiver, phase.Last, cancellationToken);
        long arrived = 0;
        long lastArrival = phase.Started;
        for (var id = phase.First; id <= phase.Last; id++)
        {
            var at = receiver.ArrivalOf(id);
            if (at != 0)
            {
                arrived++;
                lastArrival = Math.Max(lastArrival, at);
            }
        }
        var cpu = run.Server.CpuTime() - cpuBefore;
        var seconds = Report.Seconds(phase.Started, lastArrival);
        var rate = arrived / seconds;
        string? problem = null;
        if (arrived < phase.Acked || !delivered)
        {
            problem = $"{Report.N(phase.Acked - arrived)} acknowledged chats were not delivered within 60 s";
        }
        if (sender.FirstFailure is not null)
        {
            Console.WriteLine($"  first failure: {sender.FirstFailure}");
        }
        return new Row
        {
            What = "live",
            Figure = rate,
            Unit = "conversations/s delivered",
            CpuPer = "conversation",
            CpuMicrosPerRequest = arrived == 0 ? double.NaN : cpu.TotalMilliseconds * 1000 / arrived,
            Failures = sender.Failures,
            Problem = problem,
            Note = $"{Report.N(arrived)} of {Report.N(phase.Acked)} chats acknowledged delivered in {Report.F(seconds, 1)} s from the first send "
                + $"({Report.N(phase.Requests)} requests; {Report.F(rate * 6, 0)} events/s), {Report.N(receiver.Duplicates)} repeats ({run.Storage})",
        };
    }

    /// <summary>Waits (60 s at most) until every chat up to <paramref name="last"/> that was acknowledged has arrived.</summary>
    private static async Task<bool> WaitDeliveredAsync(Receiver receiver, long last, CancellationToken cancellationToken)
    {
        // Chat ids run from 1 without a gap, so all up to last have arrived when the receiver has last distinct ones.
        var started = Stopwatch.GetTimestamp();
        while (receiver.Distinct < last)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                return false;
            }
            await Task.Delay(50, cancellationToken);
        }
        return true;
    }

    /// <summary>What one phase sent: chats <see cref="First"/> to <see cref="Last"/>, <see cref="Acked"/> of them acknowledged.</summary>
    private sealed record Phase(long Started, long First, long Last, long Acked, long Requests);

    /// <summary>Sends requests of 1,000 new chats, <c>concurrency</c> at once; chat ids go on from phase to phase.</summary>
    private sealed class Sender(ChatportRun run, long account, int concurrency, CancellationToken cancellationToken)
    {
        private readonly Lock _gate = new();
        private long _nextBatch = -1;
        private long _failures;
        private string? _firstFailure;

        public long Failures => Interlocked.Read(ref _failures);

        public string? FirstFailure => _firstFailure;

        public async Task<Phase> SendAsync(int seconds, int minRequests)
        {
            var started = Stopwatch.GetTimestamp();
            var first = 1 + ((Interlocked.Read(ref _nextBatch) + 1) * ChatsPerRequest);
            long acked = 0;
            long requests = 0;
            long last = first - 1;
            async Task WorkAsync()
            {
                while ((Stopwatch.GetElapsedTime(started).TotalSeconds < seconds || Interlocked.Read(ref requests) < minRequests)
                    && !cancellationToken.IsCancellationRequested)
                {
                    var from = 1 + (Interlocked.Increment(ref _nextBatch) * ChatsPerRequest);
                    if (from + ChatsPerRequest >= Capacity)
                    {
                        break;
                    }
                    Interlocked.Increment(ref requests);
                    var failure = await run.Client.PostAsync("/v1/events", Body(account, from), "application/x-ndjson", cancellationToken);
                    if (failure is null)
                    {
                        Interlocked.Add(ref acked, ChatsPerRequest);
                    }
                    else
                    {
                        Interlocked.Increment(ref _failures);
                        Interlocked.CompareExchange(ref _firstFailure, failure, null);
                    }
                    lock (_gate)
                    {
                        last = Math.Max(last, from + ChatsPerRequest - 1);
                    }
                }
            }
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, cancellationToken)));
            return new Phase(started, first, last, acked, requests);
        }
    }

    /// <summary>One request: chats <paramref name="first"/> to first + 999, 6 events each, as NDJSON.</summary>
    private static byte[] Body(long account, long first)
    {
        var text = new StringBuilder(ChatsPerRequest * 6 * 260);
        const long T0 = 1764547200000;
        for (var chat = first; chat < first + ChatsPerRequest; chat++)
        {
            var at = T0 + (chat * 1000);
            var agent = (chat % 20) + 1;
            void Event(int step, string type, string body) => text.Append(CultureInfo.InvariantCulture,
                $$"""{"id":"l{{chat}}-{{step}}","accountId":{{account}},"chatId":{{chat}},"at":{{at + (step * 4000)}},"type":"{{type}}",{{body}}}""").Append('\n');
            Event(1, "message", $$"""
                "visitor":{"id":{{chat}},"name":"Visitor {{chat}}","email":"visitor{{chat}}@example.com","ipAddress":"89.235.0.55","countryCode":"CZ","platform":"Linux x86_64","referer":""},"message":{"type":"visitor","from":"visitor:v{{chat}}","content":"Hello, I have a question about my order","triggeredBy":null}
                """);
            Event(2, "message", $$"""
                "message":{"type":"system","name":"Agent {{agent}}","from":"agent:{{agent}}","content":"agent.join","triggeredBy":null}
                """);
            Event(3, "message", $$"""
                "message":{"type":"agent","name":"Agent {{agent}}","from":"agent:{{agent}}","content":"Hi, how can I help you?","triggeredBy":null}
                """);
            Event(4, "message", $$"""
                "message":{"type":"visitor","from":"visitor:v{{chat}}","content":"Where is order 1234?","triggeredBy":null}
                """);
            Event(5, "message", $$"""
                "message":{"type":"agent","name":"Agent {{agent}}","from":"agent:{{agent}}","content":"It left the warehouse this morning.","triggeredBy":null}
                """);
            Event(6, "close", """
                "close":{"by":"visitor"}
                """);
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
