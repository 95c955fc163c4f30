using System.Globalization;
using System.Runtime.InteropServices;

namespace Chatport.LoadHarness;

/// <summary>
/// Runs the scenarios by name, each Chatport one on a Chatport of its own (and twice with <c>--compare</c>: A, then
/// B), records the machine's state around each (load average, CPU steal), and prints the suite's one table.
/// </summary>
internal static class Suite
{
    /// <summary>The scenarios the suite runs, in order.</summary>
    public static readonly string[] Scenarios = ["ceiling", "php", "hook", "hook-deliver", "events", "ndjson10", "live", "burst", "latency"];

    public static async Task<int> RunAsync(HarnessOptions options, string dll, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetUtcNow();
        var loadAtStart = Report.LoadAverage();
        var rows = new List<Row>();
        foreach (var name in Scenarios)
        {
            rows.AddRange(await RunOneAsync(name, options, dll, cancellationToken));
        }
        Console.WriteLine();
        Console.WriteLine($"# Per-request suite, {started:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        PrintContext(options, dll, loadAtStart);
        Console.WriteLine();
        PrintTable(rows);
        Console.WriteLine();
        Legend();
        var failed = rows.Where(r => r.Failed).ToList();
        if (failed.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"FAILED rows: {string.Join("; ", failed.Select(r => $"{r.What}{(r.Build.Length > 0 ? $" ({r.Build})" : "")}: {r.Problem ?? $"{Report.N(r.Failures)} failures"}"))}");
        }
        return failed.Count > 0 ? 1 : 0;
    }

    /// <summary>One scenario (twice, A then B, for a Chatport one with --compare); each row printed as it ends.</summary>
    public static async Task<IReadOnlyList<Row>> RunOneAsync(string name, HarnessOptions options, string dll, CancellationToken cancellationToken)
    {
        var scenario = ScenarioOptions(name, options);
        if (name is "ceiling" or "php")
        {
            return [await MeasureAsync(name, "", () => name == "ceiling"
                ? BaselineScenarios.CeilingAsync(scenario, cancellationToken)
                : BaselineScenarios.PhpAsync(scenario, cancellationToken), cancellationToken)];
        }
        var rows = new List<Row>();
        if (options.CompareDll is { } a)
        {
            rows.Add(await MeasureAsync(name, "A", () => RunChatportAsync(name, scenario, Path.GetFullPath(a), cancellationToken), cancellationToken));
            rows.Add(await MeasureAsync(name, "B", () => RunChatportAsync(name, scenario, dll, cancellationToken), cancellationToken));
        }
        else
        {
            rows.Add(await MeasureAsync(name, "", () => RunChatportAsync(name, scenario, dll, cancellationToken), cancellationToken));
        }
        return rows;
    }

    /// <summary>The suite's settings for one scenario: burst and latency are shortened alike with --quick.</summary>
    private static HarnessOptions ScenarioOptions(string name, HarnessOptions options)
    {
        if (options.Scenario != "suite")
        {
            return options;
        }
        return name switch
        {
            "burst" => options.For(name, warmup: options.WarmupSeconds ?? (options.Quick ? 5 : 15), count: options.Count ?? 50_000),
            "latency" => options.For(name, warmup: options.WarmupSeconds ?? (options.Quick ? 5 : 15), duration: options.Duration ?? (options.Quick ? 5 : 15)),
            _ => options.For(name),
        };
    }

    private static async Task<Row> RunChatportAsync(string name, HarnessOptions options, string dll, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"=== {name}, Chatport {dll}");
        switch (name)
        {
            case "hook":
                return await HookScenario.RunAsync(options, dll, deliver: false, cancellationToken);
            case "hook-deliver":
                return await HookScenario.RunAsync(options, dll, deliver: true, cancellationToken);
            case "events":
                return await EventsScenario.RunAsync(options, dll, perRequest: 1, cancellationToken);
            case "ndjson10":
                return await EventsScenario.RunAsync(options, dll, perRequest: 10, cancellationToken);
            case "live":
                return await LiveScenario.RunAsync(options, dll, cancellationToken);
            case "burst" or "latency":
                await using (var run = await ChatportRun.StartAsync(options, dll, cancellationToken))
                {
                    Console.WriteLine($"Chatport on {run.Storage} is ready at {run.Server.Address} (pid {run.Server.ProcessId}).");
                    return name == "burst" ? await BurstScenario.RunAsync(run.Harness) : await LatencyScenario.RunAsync(run.Harness);
                }
            default:
                throw new InvalidOperationException($"The suite has no scenario \"{name}\".");
        }
    }

    /// <summary>Runs one row with the machine's state around it; a row that throws is a failed row, and the suite goes on.</summary>
    private static async Task<Row> MeasureAsync(string name, string build, Func<Task<Row>> run, CancellationToken cancellationToken)
    {
        var loadBefore = OneMinuteLoad();
        var cpuBefore = MachineCpu.Read();
        Row row;
        try
        {
            row = await run();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is InvalidOperationException or TimeoutException or HttpRequestException or IOException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            row = new Row { What = name, Figure = double.NaN, Unit = "", Problem = e.Message.Split('\n')[0] };
        }
        row.Build = build;
        row.LoadBefore = loadBefore;
        row.LoadAfter = OneMinuteLoad();
        row.StealPercent = Steal(cpuBefore, MachineCpu.Read());
        row.Print();
        return row;
    }

    public static void PrintContext(HarnessOptions options, string dll, string loadAtStart)
    {
        Console.WriteLine($"- machine: {Environment.ProcessorCount} cores (nproc), {Report.CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"- load average at the start: {loadAtStart}; at the end: {Report.LoadAverage()}");
        Console.WriteLine($"- storage: {(options.Postgres is null ? "SQLite (a fresh data folder per Chatport)" : "PostgreSQL (a fresh database chatport_bench_N per Chatport)")}");
        if (options.CompareDll is { } a)
        {
            Console.WriteLine($"- A: {Path.GetFullPath(a)}");
            Console.WriteLine($"- B: {dll}");
        }
        else
        {
            Console.WriteLine($"- Chatport: {dll}");
        }
        Console.WriteLine($"- wrk -t1 -c{options.Connections}: {options.WrkWarmupSeconds} s warm-up, then {options.WrkSeconds} s measured; "
            + $"live: {options.Concurrency} requests in flight; burst --count {Report.N(options.Count ?? 50_000)}; latency --rate {Report.N(options.Rate)}");
    }

    public static void PrintTable(IReadOnlyList<Row> rows)
    {
        var ceiling = rows.FirstOrDefault(r => r.What == "ceiling")?.Figure;
        var php = rows.FirstOrDefault(r => r.What == "php")?.Figure;
        string Ratio(double figure, double? of) => of is > 0 && !double.IsNaN(figure) ? Report.F(figure / of.Value, 3) : "";
        var table = new List<string[]>();
        foreach (var row in rows)
        {
            var a = row.Build == "B" ? rows.FirstOrDefault(r => r.What == row.What && r.Build == "A") : null;
            table.Add(
            [
                row.What + (row.Build.Length > 0 ? $" ({row.Build})" : "") + (row.Failed ? " FAILED" : ""),
                Report.F(row.Figure, 0) + (row.Second is { } s ? $" / {Report.F(s, 0)}" : ""),
                row.Unit + (row.Second is not null ? $" / {row.SecondUnit}" : ""),
                row.What == "ceiling" ? "" : Ratio(row.Figure, ceiling),
                row.What.StartsWith("hook", StringComparison.Ordinal) ? Ratio(row.Figure, php) : "",
                a is null ? "" : Ratio(row.Figure, a.Figure),
                row.CpuMicrosPerRequest is { } cpu ? Report.F(cpu, 0) : "",
                row.P50Ms is { } p50 ? Report.F(p50, 2) : "",
                row.P99Ms is { } p99 ? Report.F(p99, 2) : "",
                Report.N(row.Failures),
                $"{row.LoadBefore} → {row.LoadAfter}",
                Report.F(row.StealPercent, 1),
            ]);
        }
        Report.Table(["what", "figure", "unit", "× ceiling", "× php", "B/A", "server CPU µs", "p50 ms", "p99 ms", "non-2xx", "load 1 min", "steal %"], table);
        Console.WriteLine();
        foreach (var row in rows)
        {
            Console.WriteLine($"- {row.What}{(row.Build.Length > 0 ? $" ({row.Build})" : "")}: {row.Note}{(row.Problem is null ? "" : $" — FAILED: {row.Problem}")}");
        }
    }

    private static void Legend()
    {
        Console.WriteLine("server CPU µs: the server's processes' CPU time (/proc) over the measured run, per request (per conversation for live, burst and "
            + "latency); p50/p99: wrk's request latency, and for latency finish → receiver 2xx; non-2xx: requests that did not answer 2xx (socket errors "
            + "and refused events included); load 1 min: the load average before → after the row; steal %: CPU steal over the row (/proc/stat).");
    }

    private static string OneMinuteLoad()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Steal(MachineCpu? before, MachineCpu? after)
    {
        if (before is not { } a || after is not { } b)
        {
            return double.NaN;
        }
        double total = (b.Busy - a.Busy) + (b.Idle - a.Idle) + (b.IoWait - a.IoWait) + (b.Steal - a.Steal);
        return total <= 0 ? double.NaN : 100 * (b.Steal - a.Steal) / total;
    }
}
