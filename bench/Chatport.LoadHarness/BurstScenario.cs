using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>
/// A sustained burst: <c>--count</c> conversations imported as fast as Chatport takes them (arrays of
/// <c>--batch</c>, <c>--concurrency</c> requests in flight). Measures the ingest rate (conversations acknowledged
/// per second), the delivery rate at the receiver (first to last arrival), and the time until all arrived.
/// </summary>
internal static class BurstScenario
{
    public static async Task<Row> RunAsync(Harness harness)
    {
        var options = harness.Options;
        var count = options.Count ?? 100_000;
        var warmupSeconds = options.WarmupSeconds ?? 30;
        await using var receiver = await Receivers.StartAsync(harness.Options.Receiver, count + 1 + WarmupCapacity, harness.Stopping);
        await harness.SetUpAsync(receiver.HookUrl, retrySchedule: null);
        var warmed = await WarmUpAsync(harness, receiver, count, warmupSeconds);

        Console.WriteLine($"Importing {Report.N(count)} conversations in arrays of {options.Batch}, {options.Concurrency} requests in flight; "
            + $"waiting up to {options.TimeoutSeconds ?? 300} s after the last import for the last delivery.");
        var acked = new Counter();
        var origin = Stopwatch.GetTimestamp();
        var cpuBefore = harness.Server.CpuTime();
        var harnessCpuBefore = Receivers.HarnessCpuTime(receiver);
        var machineBefore = MachineCpu.Read();
        Ingest ingest;
        long end;
        long drained;
        IReadOnlyList<Sample> samples;
        await using (var sampler = new Sampler(harness, origin, () => acked.Value, () => receiver.Distinct - warmed, printEvery: 5))
        {
            ingest = await harness.ImportAllAsync(count, options.Batch, options.Concurrency, acked);
            Console.WriteLine($"  imported all {Report.N(count)} in {Report.F(ingest.Seconds, 2)} s; waiting for deliveries…");
            var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds ?? 300);
            while (receiver.Distinct < warmed + count && Stopwatch.GetElapsedTime(ingest.Finished) < timeout)
            {
                await Task.Delay(20, harness.Stopping);
            }
            end = Stopwatch.GetTimestamp();
            // Every attempt result written: the outbox has no pending delivery left (the gauge is refreshed by
            // Chatport's poller, about once a second).
            while (Stopwatch.GetElapsedTime(ingest.Finished) < timeout
                && (await harness.Client.MetricsAsync(harness.Stopping))?.QueueDepth is > 0)
            {
                await Task.Delay(200, harness.Stopping);
            }
            drained = Stopwatch.GetTimestamp();
            samples = sampler.Samples;
        }
        var cpu = harness.Server.CpuTime() - cpuBefore;
        var harnessCpu = Receivers.HarnessCpuTime(receiver) - harnessCpuBefore;
        var machine = MachineCpu.Describe(machineBefore, MachineCpu.Read());
        var metrics = await harness.Client.MetricsAsync(harness.Stopping);

        var arrivals = new List<long>(count);
        var afterAck = new List<double>(count);
        for (long id = 1; id <= count; id++)
        {
            var arrival = receiver.ArrivalOf(id);
            if (arrival != 0)
            {
                arrivals.Add(arrival);
                afterAck.Add(Report.Ms(ingest.AckOf(id, options.Batch), arrival));
            }
        }
        arrivals.Sort();
        var arrived = arrivals.Count;
        var first = arrived > 0 ? arrivals[0] : 0;
        var last = arrived > 0 ? arrivals[^1] : 0;
        var deliveryRate = arrived > 1 ? (arrived - 1) / Report.Seconds(first, last) : double.NaN;
        var endToEnd = arrived > 0 ? arrived / Report.Seconds(ingest.Started, last) : double.NaN;
        var perSecond = PerSecond(arrivals, ingest.Started);
        var peakRss = samples.Select(s => s.RssKiB ?? 0).DefaultIfEmpty(0).Max();
        var elapsed = Report.Seconds(origin, end);

        Console.WriteLine();
        Console.WriteLine("## burst — timeline (per second since the first import)");
        Console.WriteLine();
        Timeline(samples, arrivals, ingest);
        Console.WriteLine();
        Console.WriteLine("## burst — summary");
        Console.WriteLine();
        Report.Table(["figure", "value"],
        [
            ["conversations", $"{Report.N(count)} ({Report.N(ingest.ConversationBytes)} B each, arrays of {options.Batch}, {options.Concurrency} in flight)"],
            ["ingest: all acknowledged after", $"{Report.F(ingest.Seconds, 2)} s"],
            ["ingest rate (acknowledged)", $"{Report.F(ingest.Rate, 0)} conversations/s"],
            ["delivery rate (first → last arrival)", $"{Report.F(deliveryRate, 0)} conversations/s"],
            ["peak delivery rate in one second", $"{Report.N(perSecond.DefaultIfEmpty(0).Max())} conversations/s"],
            ["end-to-end rate (first import → last arrival)", $"{Report.F(endToEnd, 0)} conversations/s"],
            ["all arrived after (from the first import)", arrived == count ? $"{Report.F(Report.Seconds(ingest.Started, last), 2)} s" : $"NOT ALL: {Report.N(arrived)} of {Report.N(count)} after {Report.F(elapsed, 1)} s"],
            ["outbox drained (metrics: 0 pending) after", $"{Report.F(Report.Seconds(ingest.Started, drained), 1)} s (peak pending {Report.N(samples.Select(x => x.Metrics?.QueueDepth ?? 0).DefaultIfEmpty(0).Max())})"],
            ["first arrival after the first import", arrived > 0 ? $"{Report.F(Report.Ms(ingest.Started, first), 1)} ms" : "n/a"],
            ["delivery lag after the batch ack, p50 / p99 / max", $"{Report.F(new Distribution(afterAck).At(50), 0)} / {Report.F(new Distribution(afterAck).At(99), 0)} / {Report.F(new Distribution(afterAck).Max, 0)} ms"],
            ["batch round trip, p50 / p99 / max", $"{Report.F(ingest.RoundTrips().At(50), 0)} / {Report.F(ingest.RoundTrips().At(99), 0)} / {Report.F(ingest.RoundTrips().Max, 0)} ms"],
            ["receiver: requests / repeats / unknown", $"{Report.N(receiver.Received - warmed)} / {Report.N(receiver.Duplicates)} / {Report.N(receiver.Unknown)}" + (warmed > 0 ? $" (after the warm-up's {Report.N(warmed)})" : "")],
            ["Chatport: deliveries succeeded / failed (metrics)", metrics is null ? "n/a" : $"{Report.N(metrics.Succeeded - warmed)} / {Report.N(metrics.Failed)}" + (warmed > 0 ? " (warm-up's taken off)" : "")],
            ["Chatport CPU over the run", $"{Report.F(cpu.TotalSeconds, 1)} s = {Report.F(100 * cpu.TotalSeconds / elapsed, 0)} % of one core"],
            ["Chatport CPU per conversation (import + delivery + record)", $"{Report.F(cpu.TotalMilliseconds * 1000 / count, 0)} µs"],
            ["harness CPU over the run (load generator + " + options.Receiver + " receiver)", $"{Report.F(harnessCpu.TotalSeconds, 1)} s = {Report.F(100 * harnessCpu.TotalSeconds / elapsed, 0)} % of one core"],
            ["all cores over the run (/proc/stat)", machine],
            ["Chatport peak RSS (1 s samples)", Report.MiB(peakRss * 1024)],
            ["data folder at the end", Report.MiB(harness.Server.DataSize())],
        ]);
        Console.WriteLine();
        // Chatport inherits this process's environment, so Chatport__Storage__Provider=postgres runs it on PostgreSQL.
        var postgres = options.Postgres is not null
            || string.Equals(Environment.GetEnvironmentVariable("Chatport__Storage__Provider"), "postgres", StringComparison.OrdinalIgnoreCase);
        Console.WriteLine(postgres
            ? $"On PostgreSQL (the ≥ 10,000/s target is SQLite's): delivery {Report.F(deliveryRate, 0)}/s, ingest {Report.F(ingest.Rate, 0)}/s, end to end {Report.F(endToEnd, 0)}/s."
            : $"Target ≥ 10,000 delivered conversations/s on SQLite: {(deliveryRate >= 10_000 ? "met" : "NOT met")} "
                + $"(delivery {Report.F(deliveryRate, 0)}/s, ingest {Report.F(ingest.Rate, 0)}/s, end to end {Report.F(endToEnd, 0)}/s).");
        return new Row
        {
            What = "burst",
            Figure = deliveryRate,
            Unit = "conversations/s delivered",
            CpuPer = "conversation",
            CpuMicrosPerRequest = cpu.TotalMilliseconds * 1000 / count,
            Failures = metrics is null ? 0 : metrics.Failed,
            Problem = arrived == count ? null : $"{Report.N(count - arrived)} of {Report.N(count)} never arrived",
            Note = $"{Report.N(count)} in arrays of {options.Batch}, {options.Concurrency} in flight; ingest {Report.F(ingest.Rate, 0)}/s; "
                + $"all arrived after {Report.F(Report.Seconds(ingest.Started, last), 1)} s",
        };
    }

    /// <summary>The most conversations a warm-up may import (ids after the measured ones).</summary>
    private const int WarmupCapacity = 2_000_000;

    /// <summary>
    /// Imports at full speed for <paramref name="seconds"/> (ids after the measured ones), then waits until all of it
    /// is delivered and the outbox is empty: the measured burst then runs on a server whose code is compiled and
    /// tiered up (on 2 busy cores the JIT alone took ~12 s of CPU in the first 30 s), as a long-running server's is.
    /// </summary>
    private static async Task<long> WarmUpAsync(Harness harness, IReceiver receiver, int count, int seconds)
    {
        if (seconds <= 0)
        {
            return 0;
        }
        var options = harness.Options;
        var started = Stopwatch.GetTimestamp();
        long imported = 0;
        while (Stopwatch.GetElapsedTime(started).TotalSeconds < seconds && imported + 10_000 <= WarmupCapacity)
        {
            await harness.ImportAllAsync(10_000, options.Batch, options.Concurrency, new Counter(), firstId: count + 1 + imported);
            imported += 10_000;
        }
        while (receiver.Distinct < imported || (await harness.Client.MetricsAsync(harness.Stopping))?.QueueDepth is > 0)
        {
            await Task.Delay(200, harness.Stopping);
        }
        Console.WriteLine($"Warm-up: {Report.N(imported)} conversations imported and delivered in {Report.F(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s (not measured).");
        return imported;
    }

    /// <summary>Arrivals in each second after <paramref name="origin"/>.</summary>
    private static int[] PerSecond(List<long> sortedArrivals, long origin)
    {
        if (sortedArrivals.Count == 0)
        {
            return [];
        }
        var buckets = new int[(int)Report.Seconds(origin, sortedArrivals[^1]) + 1];
        foreach (var arrival in sortedArrivals)
        {
            buckets[(int)Report.Seconds(origin, arrival)]++;
        }
        return buckets;
    }

    private static void Timeline(IReadOnlyList<Sample> samples, List<long> arrivals, Ingest ingest)
    {
        var arrivedPerSecond = PerSecond(arrivals, ingest.Started);
        var acks = new int[Math.Max(arrivedPerSecond.Length, (int)ingest.Seconds + 1)];
        for (var b = 0; b < ingest.Acked.Length; b++)
        {
            if (ingest.Acked[b] != 0)
            {
                var second = (int)Report.Seconds(ingest.Started, ingest.Acked[b]);
                if (second < acks.Length)
                {
                    acks[second] += ingest.Sizes[b];
                }
            }
        }
        var rows = new List<string[]>();
        var quiet = 0;
        for (var s = 0; s < acks.Length; s++)
        {
            var arrived = s < arrivedPerSecond.Length ? arrivedPerSecond[s] : 0;
            var sample = samples.FirstOrDefault(x => x.Seconds >= s + 1 - 0.5);
            if (acks[s] == 0 && arrived == 0)
            {
                quiet++;
                continue;
            }
            if (quiet > 0)
            {
                rows.Add([$"… {quiet} s", "0", "0", "", ""]);
                quiet = 0;
            }
            rows.Add([$"{s}–{s + 1} s", Report.N(acks[s]), Report.N(arrived),
                sample?.Metrics?.QueueDepth is { } depth ? Report.N(depth) : "n/a",
                sample?.RssKiB is { } rss ? Report.MiB(rss * 1024) : "n/a"]);
        }
        Report.Table(["second", "imported", "delivered", "pending (end of second)", "Chatport RSS"], rows);
    }
}
