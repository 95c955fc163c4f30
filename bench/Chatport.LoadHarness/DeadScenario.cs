using System.Diagnostics;
using System.Text.Json;

namespace Chatport.LoadHarness;

/// <summary>
/// A dead destination: <c>--count</c> deliveries to a loopback port nobody listens on (connection refused at
/// once), with <c>retrySchedule ["0"]</c> so each is dead-lettered after 2 attempts. Chatport's VmRSS is read
/// every second; the report gives it at 10 %, 50 % and 100 % of the dead-lettered deliveries, and its slope.
/// </summary>
internal static class DeadScenario
{
    private static readonly string[] Schedule = ["0"];

    public static async Task RunAsync(Harness harness)
    {
        var options = harness.Options;
        var count = options.Count ?? 1_000_000;
        var deadPort = ChatportServer.FreePort();
        var url = new Uri($"http://127.0.0.1:{deadPort}/hook");
        await harness.SetUpAsync(url, Schedule);
        Console.WriteLine($"Nobody listens on port {deadPort}: every attempt is refused. retrySchedule [\"0\"]: each delivery is dead-lettered after 2 attempts "
            + "(the first send and one immediate retry).");

        var metrics = await harness.Client.MetricsAsync(harness.Stopping);
        if (metrics is null)
        {
            Console.WriteLine("/metrics does not exist: progress is counted from the imports, and the end is when no delivery is pending.");
        }
        var baseline = harness.Server.ReadRssKiB() ?? 0;
        Console.WriteLine($"Importing {Report.N(count)} conversations in arrays of {options.Batch}, {options.Concurrency} requests in flight"
            + (options.Ahead > 0 ? $", pausing while more than {Report.N(options.Ahead)} deliveries are pending" : ", as fast as Chatport takes them")
            + $"; RSS before: {Report.MiB(baseline * 1024)}.");

        var acked = new Counter();
        var origin = Stopwatch.GetTimestamp();
        var cpuBefore = harness.Server.CpuTime();
        Ingest ingest;
        long end;
        IReadOnlyList<Sample> samples;
        await using (var sampler = new Sampler(harness, origin, () => acked.Value, arrived: null, printEvery: 10))
        {
            Func<bool>? mayImport = options.Ahead > 0 && metrics is not null
                ? () => sampler.Latest?.Metrics?.QueueDepth is not { } pending || pending <= options.Ahead
                : null;
            ingest = await harness.ImportAllAsync(count, options.Batch, options.Concurrency, acked, mayImport);
            Console.WriteLine($"  imported all {Report.N(count)} in {Report.F(ingest.Seconds, 1)} s ({Report.F(ingest.Rate, 0)}/s); waiting for the deliveries to be dead-lettered…");
            var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds ?? 300);
            var lastProgress = Stopwatch.GetTimestamp();
            long lastDone = -1;
            while (true)
            {
                await Task.Delay(500, harness.Stopping);
                // Done: no delivery of the account is pending in the store (every final result is written).
                if (sampler.Latest is { } latest && (latest.Metrics?.QueueDepth is null or 0)
                    && await harness.Client.NewestDeliveryAsync(Harness.AccountId, "pending", harness.Stopping) is null)
                {
                    break;
                }
                var done = sampler.Latest is { } now ? Progress(now) : 0;
                if (done != lastDone)
                {
                    lastDone = done;
                    lastProgress = Stopwatch.GetTimestamp();
                }
                if (Stopwatch.GetElapsedTime(lastProgress) > timeout)
                {
                    Console.WriteLine($"  no progress for {timeout.TotalSeconds:0} s; stopping the wait.");
                    break;
                }
            }
            end = Stopwatch.GetTimestamp();
            await Task.Delay(1100, harness.Stopping); // one more sample after the end
            samples = sampler.Samples;
        }
        var cpu = harness.Server.CpuTime() - cpuBefore;
        metrics = await harness.Client.MetricsAsync(harness.Stopping);
        var sampleDelivery = await harness.Client.NewestDeliveryAsync(Harness.AccountId, "failed", harness.Stopping);
        var pending = await harness.Client.NewestDeliveryAsync(Harness.AccountId, "pending", harness.Stopping);
        var elapsed = Report.Seconds(origin, end);

        Sample? At(double share) => samples.FirstOrDefault(s => Progress(s) >= share * count);
        var at10 = At(0.10);
        var at50 = At(0.50);
        var at100 = At(1.0) ?? samples.LastOrDefault();
        var fromTen = samples.Where(s => at10 is not null && s.Seconds >= at10.Seconds && s.Seconds <= (at100?.Seconds ?? double.MaxValue) && s.RssKiB is not null).ToList();
        var perDeliveries = Slope(fromTen.Select(s => ((double)Progress(s), s.RssKiB!.Value / 1024.0))) * 100_000;
        var perMinute = Slope(fromTen.Select(s => (s.Seconds, s.RssKiB!.Value / 1024.0))) * 60;
        var peak = samples.Select(s => s.RssKiB ?? 0).DefaultIfEmpty(0).Max();

        Console.WriteLine();
        Console.WriteLine("## dead — RSS of the Chatport process (VmRSS, sampled every second)");
        Console.WriteLine();
        Report.Table(["point", "t (s)", "imported", "dead-lettered", "pending", "RSS", "GC heap"],
            new (string Name, Sample? Sample)[] { ("before the import", null), ("10 %", at10), ("50 %", at50), ("100 %", at100) }
                .Select(p => p.Sample is null
                    ? [p.Name, "0", "0", "0", "0", Report.MiB(baseline * 1024), "n/a"]
                    : new[]
                    {
                        p.Name, Report.F(p.Sample.Seconds, 0), Report.N(p.Sample.Acked), Report.N(Progress(p.Sample)),
                        p.Sample.Metrics?.QueueDepth is { } q ? Report.N(q) : "n/a",
                        Report.MiB((p.Sample.RssKiB ?? 0) * 1024),
                        p.Sample.Metrics?.GcHeapBytes is { } h ? Report.MiB(h) : "n/a",
                    }));
        Console.WriteLine();
        Report.Table(["figure", "value"],
        [
            ["deliveries dead-lettered (imported − pending)", at100 is null ? "n/a" : $"{Report.N(Progress(at100))} of {Report.N(count)}"],
            ["dead-letter events counted (chatport_deliveries_total{status=failed})", metrics is null ? "n/a (no /metrics)" : $"{Report.N(metrics.Failed)} = {Report.F((double)metrics.Failed / count, 2)} per delivery"],
            ["attempts made (chatport_delivery_attempts_total)", metrics is null ? "n/a" : $"{Report.N(metrics.AttemptsFailed)} = {Report.F((double)metrics.AttemptsFailed / count, 2)} per delivery (2 expected)"],
            ["a dead-lettered delivery (newest)", Describe(sampleDelivery)],
            ["still pending at the end", pending is null ? "none" : "yes"],
            ["import: all acknowledged after", $"{Report.F(ingest.Seconds, 1)} s ({Report.F(ingest.Rate, 0)} conversations/s)"],
            ["all dead-lettered after", $"{Report.F(elapsed, 1)} s ({Report.F(count / elapsed, 0)} deliveries/s, {Report.F(2 * count / elapsed, 0)} attempts/s)"],
            ["RSS slope, 10 % → 100 %", $"{Report.F(perDeliveries, 2)} MiB per 100,000 deliveries; {Report.F(perMinute, 2)} MiB per minute"],
            ["RSS before / peak", $"{Report.MiB(baseline * 1024)} / {Report.MiB(peak * 1024)}"],
            ["Chatport CPU over the run", $"{Report.F(cpu.TotalSeconds, 0)} s = {Report.F(100 * cpu.TotalSeconds / elapsed, 0)} % of one core"],
            ["Chatport CPU per delivery (import + 2 attempts + record)", $"{Report.F(cpu.TotalMilliseconds * 1000 / count, 0)} µs"],
            ["data folder at the end", Report.MiB(harness.Server.DataSize())],
        ]);
        Console.WriteLine();
        Console.WriteLine("RSS every 10 % (t s: RSS): " + string.Join(", ", Enumerable.Range(1, 10)
            .Select(p => At(p / 10.0))
            .Where(s => s is not null)
            .Select(s => $"{Report.F(100.0 * Progress(s!) / count, 0)} % at {Report.F(s!.Seconds, 0)} s: {Report.MiB((s.RssKiB ?? 0) * 1024)}")));
    }

    /// <summary>
    /// Deliveries whose final result is in the store: imported minus still pending (the outbox gauge of
    /// <c>/metrics</c>). Not the <c>chatport_deliveries_total</c> counter: it counts a delivery again each time
    /// it is sent again after its lease ran out before its result was written.
    /// </summary>
    private static long Progress(Sample s) => s.Metrics?.QueueDepth is { } pending ? Math.Max(0, s.Acked - pending) : s.Acked;

    /// <summary>The least-squares slope of y over x.</summary>
    private static double Slope(IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        if (list.Count < 2)
        {
            return double.NaN;
        }
        var mx = list.Average(p => p.X);
        var my = list.Average(p => p.Y);
        var sxx = list.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? double.NaN : list.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    private static string Describe(JsonElement? delivery)
    {
        if (delivery is not { } d)
        {
            return "none";
        }
        var error = d.TryGetProperty("lastError", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return $"status {d.GetProperty("status").GetString()}, attempts {d.GetProperty("attempts").GetInt32()}, last error \"{error}\"";
    }
}
