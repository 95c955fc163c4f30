using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>
/// Steady load: one conversation per <c>POST /v1/conversations</c>, <c>--rate</c> a second, open loop (a send
/// never waits for an earlier answer; only the cap on requests in flight can hold it back, and that is
/// counted). Measures, per conversation, finish → receiver 2xx as (receiver arrival − import acknowledged),
/// and the upper bound (receiver arrival − import sent). The first <c>--warmup</c> seconds are not measured.
/// </summary>
internal static class LatencyScenario
{
    public static async Task<Row> RunAsync(Harness harness)
    {
        var options = harness.Options;
        var stopping = harness.Stopping;
        var warmupSeconds = options.WarmupSeconds ?? 30;
        var total = checked((warmupSeconds + options.DurationSeconds) * options.Rate);
        await using var receiver = await Receivers.StartAsync(harness.Options.Receiver, total + 1, stopping);
        await harness.SetUpAsync(receiver.HookUrl, retrySchedule: null);

        var conversations = new Conversations(Harness.AccountId);
        var scheduled = new long[total];
        var sent = new long[total];
        var acked = new long[total];
        var inFlight = 0;
        var peakInFlight = 0;
        long capped = 0;
        long failures = 0;
        string? firstFailure = null;
        var ackedCount = new Counter();
        var interval = Stopwatch.Frequency / (double)options.Rate;

        async Task SendAsync(int i)
        {
            try
            {
                var body = conversations.One(i + 1);
                sent[i] = Stopwatch.GetTimestamp();
                var failure = await harness.Client.ImportAsync(body, stopping);
                var now = Stopwatch.GetTimestamp();
                if (failure is null)
                {
                    acked[i] = now;
                    ackedCount.Add(1);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        Console.WriteLine($"Open loop: {Report.N(options.Rate)} conversations/s (one per request), {warmupSeconds} s warm-up (then its requests are let finish "
            + $"and the measured schedule starts afresh) + {options.DurationSeconds} s measured, at most {options.MaxInFlight} requests in flight; "
            + "Stopwatch pacing with Thread.Sleep(1) between checks (sends that fell due meanwhile go out at once).");
        var warmupCount = warmupSeconds * options.Rate;
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
        long measuredFrom = 0;
        var cpuAtWindow = TimeSpan.Zero;
        var harnessCpuAtWindow = TimeSpan.Zero;

        // Sends ids [from, to) on a schedule that starts at phaseStart.
        void Pace(int from, int to, long phaseStart)
        {
            var i = from;
            while (i < to && !stopping.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                var due = now < phaseStart ? from : Math.Min(to, from + (long)((now - phaseStart) / interval) + 1);
                while (i < due)
                {
                    if (Volatile.Read(ref inFlight) >= options.MaxInFlight)
                    {
                        capped++;
                        break;
                    }
                    var current = Interlocked.Increment(ref inFlight);
                    if (current > peakInFlight)
                    {
                        peakInFlight = current;
                    }
                    scheduled[i] = phaseStart + (long)((i - from) * interval);
                    _ = SendAsync(i);
                    i++;
                }
                Thread.Sleep(1);
            }
        }

        var pacer = new Thread(() =>
        {
            Pace(0, warmupCount, start);
            // The warm-up's backlog must not spill into the measured phase: let its requests finish, then start
            // the measured schedule afresh.
            var drained = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref inFlight) > 0 && Stopwatch.GetElapsedTime(drained) < TimeSpan.FromSeconds(30) && !stopping.IsCancellationRequested)
            {
                Thread.Sleep(1);
            }
            var warmupLag = Report.Seconds(start + (long)(warmupCount * interval), Stopwatch.GetTimestamp());
            Console.WriteLine($"  warm-up done ({Report.N(warmupCount)} sent, {Report.F(Math.Max(0, warmupLag), 1)} s behind its schedule at the end); measuring…");
            var phaseStart = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
            cpuAtWindow = harness.Server.CpuTime();
            harnessCpuAtWindow = Receivers.HarnessCpuTime(receiver);
            Volatile.Write(ref measuredFrom, phaseStart);
            Pace(warmupCount, total, phaseStart);
        })
        { IsBackground = true, Name = "pacer" };
        pacer.Start();

        var lastReport = Stopwatch.GetTimestamp();
        while (pacer.IsAlive)
        {
            await Task.Delay(250, stopping);
            if (Stopwatch.GetElapsedTime(lastReport) >= TimeSpan.FromSeconds(5))
            {
                lastReport = Stopwatch.GetTimestamp();
                Console.WriteLine($"  t={Report.F(Report.Seconds(start, lastReport), 0),4} s  acked {Report.N(ackedCount.Value),8}  arrived {Report.N(receiver.Distinct),8}  in flight {Volatile.Read(ref inFlight),3}  load {Report.LoadAverage()}");
            }
        }
        var lastSend = Stopwatch.GetTimestamp();
        var cpuAtEnd = harness.Server.CpuTime();
        var harnessCpuAtEnd = Receivers.HarnessCpuTime(receiver);
        stopping.ThrowIfCancellationRequested();

        // Let the last requests and deliveries land.
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds ?? 30);
        while (Stopwatch.GetElapsedTime(lastSend) < timeout && (Volatile.Read(ref inFlight) > 0 || receiver.Distinct < ackedCount.Value))
        {
            await Task.Delay(50, stopping);
        }

        var window = Enumerable.Range(warmupCount, total - warmupCount).Where(i => scheduled[i] != 0).ToArray();
        var finishToArrival = new List<double>(window.Length);
        var sendToArrival = new List<double>(window.Length);
        var roundTrip = new List<double>(window.Length);
        var lag = new List<double>(window.Length);
        var perSecond = new List<double>[options.DurationSeconds + 1];
        for (var s = 0; s < perSecond.Length; s++)
        {
            perSecond[s] = [];
        }
        var missing = 0;
        var before = 0;
        foreach (var i in window)
        {
            lag.Add(Report.Ms(scheduled[i], sent[i]));
            if (acked[i] == 0)
            {
                continue;
            }
            roundTrip.Add(Report.Ms(sent[i], acked[i]));
            var arrival = receiver.ArrivalOf(i + 1);
            if (arrival == 0)
            {
                missing++;
                continue;
            }
            var latency = Report.Ms(acked[i], arrival);
            finishToArrival.Add(latency);
            sendToArrival.Add(Report.Ms(sent[i], arrival));
            if (arrival < acked[i])
            {
                before++;
            }
            perSecond[Math.Min(options.DurationSeconds, (int)((scheduled[i] - measuredFrom) / Stopwatch.Frequency))].Add(latency);
        }
        var windowSeconds = window.Length < 2 ? double.NaN : Report.Seconds(sent[window[0]], sent[window[^1]]);
        var achieved = (window.Length - 1) / windowSeconds;
        var lastAck = window.Where(i => acked[i] != 0).Select(i => acked[i]).DefaultIfEmpty(0).Max();
        var firstAck = window.Where(i => acked[i] != 0).Select(i => acked[i]).DefaultIfEmpty(0).Min();
        var ackRate = lastAck > firstAck ? (finishToArrival.Count + missing - 1) / Report.Seconds(firstAck, lastAck) : double.NaN;
        var f2a = new Distribution(finishToArrival);
        var s2a = new Distribution(sendToArrival);
        var cpuSeconds = Report.Seconds(sent[window.FirstOrDefault()], lastSend);

        Console.WriteLine();
        Console.WriteLine("## latency — summary");
        Console.WriteLine();
        Report.Table(Report.LatencyHeader,
        [
            Report.LatencyRow("finish → receiver 2xx (arrival − import ack)", f2a),
            Report.LatencyRow("import sent → receiver 2xx (upper bound)", s2a),
            Report.LatencyRow("import round trip (sent → ack)", new Distribution(roundTrip)),
            Report.LatencyRow("send lag (scheduled → sent)", new Distribution(lag)),
        ]);
        Console.WriteLine();
        Report.Table(["figure", "value"],
        [
            ["target rate", $"{Report.N(options.Rate)} /s"],
            ["achieved send rate (measured window)", $"{Report.F(achieved, 1)} /s"],
            ["achieved ack rate (measured window)", $"{Report.F(ackRate, 1)} /s"],
            ["conversations measured", Report.N(window.Length)],
            ["import failures (whole run)", Report.N(Interlocked.Read(ref failures))],
            ["acked but never arrived (window)", Report.N(missing)],
            ["arrived before the ack reached the client", $"{Report.N(before)} ({Report.F(100.0 * before / Math.Max(1, f2a.Count), 1)} %)"],
            ["finish → 2xx min / mean", $"{Report.F(f2a.Min, 2)} / {Report.F(f2a.Mean, 2)} ms"],
            ["finish → 2xx under 20 ms", $"{Report.F(100 * f2a.ShareBelow(20), 2)} %"],
            ["p99 of each measured second, max / median", PerSecond(perSecond)],
            ["times the in-flight cap held a send back", Report.N(capped)],
            ["peak requests in flight", Report.N(peakInFlight)],
            ["receiver: requests / repeats / unknown", $"{Report.N(receiver.Received)} / {Report.N(receiver.Duplicates)} / {Report.N(receiver.Unknown)}"],
            ["Chatport CPU (measured window)", $"{Report.F(100 * (cpuAtEnd - cpuAtWindow).TotalSeconds / cpuSeconds, 0)} % of one core"],
            ["harness CPU (load generator + " + options.Receiver + " receiver)", $"{Report.F(100 * (harnessCpuAtEnd - harnessCpuAtWindow).TotalSeconds / cpuSeconds, 0)} % of one core"],
            ["Chatport RSS at the end", Report.MiB((harness.Server.ReadRssKiB() ?? 0) * 1024)],
        ]);
        if (firstFailure is not null)
        {
            Console.WriteLine($"First import failure: {firstFailure}");
            Console.WriteLine($"Chatport's last output lines:{Environment.NewLine}{harness.Server.RecentOutput()}");
        }
        var p99 = f2a.At(99);
        Console.WriteLine();
        Console.WriteLine($"Target p99 finish → 2xx < 20 ms: {(double.IsNaN(p99) ? "no data" : p99 < 20 ? "met" : "NOT met")} (p99 = {Report.F(p99, 2)} ms"
            + $"; upper bound from the send: {Report.F(s2a.At(99), 2)} ms).");
        var lagP99 = new Distribution(lag).At(99);
        var held = achieved >= options.Rate * 0.99 && lagP99 <= 5;
        Console.WriteLine($"Pace {(held ? "held" : "NOT held")}: {Report.F(achieved, 1)} sends/s for a target of {Report.N(options.Rate)} /s, p99 send lag {Report.F(lagP99, 1)} ms "
            + "(held = at least 99 % of the rate and p99 send lag ≤ 5 ms; a lag means Chatport answered too slowly and the in-flight cap held sends back).");
        Console.WriteLine("\"Finish\" is when Chatport acknowledged the import (it has committed, so the conversation is finished and stored); "
            + "the receiver's arrival is taken when it has read the whole delivery, just before it answers 200.");
        return new Row
        {
            What = "latency",
            Figure = ackRate,
            Unit = $"imports/s (target {Report.N(options.Rate)})",
            CpuPer = "conversation",
            CpuMicrosPerRequest = window.Length == 0 ? double.NaN : (cpuAtEnd - cpuAtWindow).TotalMilliseconds * 1000 / window.Length,
            P50Ms = f2a.At(50),
            P99Ms = p99,
            Failures = Interlocked.Read(ref failures),
            Problem = missing > 0 ? $"{Report.N(missing)} acknowledged imports never arrived" : null,
            Note = $"p50/p99 are finish → receiver 2xx; pace {(held ? "held" : "NOT held")} (p99 send lag {Report.F(lagP99, 1)} ms)",
        };
    }

    private static string PerSecond(List<double>[] perSecond)
    {
        var p99s = perSecond.Where(s => s.Count > 0).Select(s => new Distribution(s).At(99)).ToArray();
        if (p99s.Length == 0)
        {
            return "n/a";
        }
        var d = new Distribution(p99s);
        return $"{Report.F(d.Max, 2)} / {Report.F(d.At(50), 2)} ms";
    }
}
