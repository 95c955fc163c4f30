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

        var started = Stopwatch.GetTimestamp();
        var windowStart = started + (long)(options.WrkWarmupSeconds * (double)Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(options.WrkSeconds * (double)Stopwatch.Frequency);
        long nextBatch = -1;
        long ackedChats = 0;
        long requests = 0;
        long failures = 0;
        string? firstFailure = null;
        var cpuAtWindow = TimeSpan.Zero;
        var cpuTaken = 0;
        async Task WorkAsync()
        {
            while (Stopwatch.GetTimestamp() < windowEnd && !cancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetTimestamp() >= windowStart && Interlocked.Exchange(ref cpuTaken, 1) == 0)
                {
                    cpuAtWindow = run.Server.CpuTime();
                }
                var batch = Interlocked.Increment(ref nextBatch);
                var first = 1 + (batch * ChatsPerRequest);
                if (first + ChatsPerRequest >= Capacity)
                {
                    break;
                }
                var body = Body(account, first);
                var failure = await run.Client.PostAsync("/v1/events", body, "application/x-ndjson", cancellationToken);
                Interlocked.Increment(ref requests);
                if (failure is null)
                {
                    Interlocked.Add(ref ackedChats, ChatsPerRequest);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }
        }
        var load = Report.LoadAverage();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        var cpu = run.Server.CpuTime() - cpuAtWindow;
        var sentUntil = Stopwatch.GetTimestamp();
        Console.WriteLine($"  sent {Report.N(Interlocked.Read(ref requests))} requests, {Report.N(ackedChats)} chats acknowledged (load at the start {load})");

        var waited = Stopwatch.GetTimestamp();
        while (receiver.Distinct < ackedChats && Stopwatch.GetElapsedTime(waited) < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }
        long inWindow = 0;
        var last = (nextBatch + 1) * ChatsPerRequest;
        for (long id = 1; id <= last && id < Capacity; id++)
        {
            var at = receiver.ArrivalOf(id);
            if (at >= windowStart && at <= windowEnd)
            {
                inWindow++;
            }
        }
        var seconds = Report.Seconds(windowStart, Math.Min(windowEnd, sentUntil));
        var rate = inWindow / seconds;
        string? problem = null;
        if (receiver.Distinct < ackedChats)
        {
            problem = $"{Report.N(ackedChats - receiver.Distinct)} acknowledged chats were not delivered within 60 s";
        }
        if (firstFailure is not null)
        {
            Console.WriteLine($"  first failure: {firstFailure}");
        }
        return new Row
        {
            What = "live",
            Figure = rate,
            Unit = "conversations/s delivered",
            CpuPer = "conversation",
            CpuMicrosPerRequest = inWindow == 0 ? double.NaN : cpu.TotalMilliseconds * 1000 / inWindow,
            Failures = Interlocked.Read(ref failures),
            Problem = problem,
            Note = $"{Report.N(inWindow)} delivered in the {Report.F(seconds, 1)} s window ({Report.F(rate * 6, 0)} events/s); "
                + $"{Report.N(receiver.Distinct)} of {Report.N(ackedChats)} acknowledged delivered in all, {Report.N(receiver.Duplicates)} repeats ({run.Storage})",
        };
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
