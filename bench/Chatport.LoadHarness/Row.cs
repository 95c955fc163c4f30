namespace Chatport.LoadHarness;

/// <summary>One scenario's figures, as a row of the suite's table (a scenario run alone prints it too).</summary>
internal sealed class Row
{
    /// <summary>The scenario (ceiling, php, hook, …).</summary>
    public required string What { get; init; }

    /// <summary>The headline figure (requests/s, events/s, conversations/s …), what ratios are taken of.</summary>
    public required double Figure { get; init; }

    /// <summary>Its unit, e.g. "requests/s".</summary>
    public required string Unit { get; init; }

    /// <summary>A second headline figure in <see cref="SecondUnit"/> (hook-deliver: deliveries/s), or null.</summary>
    public double? Second { get; init; }

    public string SecondUnit { get; init; } = "deliveries/s";

    /// <summary>Chatport's build: "A" (--compare) or "B" (--chatport) in a comparison; "" otherwise or for other servers.</summary>
    public string Build { get; set; } = "";

    /// <summary>Whether Chatport served this row (rows --compare runs twice).</summary>
    public bool IsChatport { get; init; } = true;

    /// <summary>The server's CPU time (its processes, from /proc) per <see cref="CpuPer"/>.</summary>
    public double? CpuMicrosPerRequest { get; init; }

    /// <summary>What <see cref="CpuMicrosPerRequest"/> is counted per: "request", or "conversation".</summary>
    public string CpuPer { get; init; } = "request";

    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }

    /// <summary>Requests that did not answer 2xx (wrk's non-2xx and socket errors, failed imports, refused events).</summary>
    public long Failures { get; init; }

    /// <summary>Why the row failed, beside its failures (a 2xx not stored, a delivery missing…); null when it did not.</summary>
    public string? Problem { get; init; }

    public bool Failed => Failures > 0 || Problem is not null;

    /// <summary>More figures in words (deliveries/s, conversations finished, …).</summary>
    public string Note { get; init; } = "";

    public string LoadBefore { get; set; } = "";

    public string LoadAfter { get; set; } = "";

    /// <summary>CPU steal over the row, in % of all cores (/proc/stat).</summary>
    public double StealPercent { get; set; } = double.NaN;

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"## {What}{(Build.Length > 0 ? $" ({Build})" : "")}: {Report.F(Figure, 0)} {Unit}"
            + (Second is { } second ? $", {Report.F(second, 0)} {SecondUnit}" : "")
            + (CpuMicrosPerRequest is { } cpu ? $", server CPU {Report.F(cpu, 0)} µs per {CpuPer}" : "")
            + (P50Ms is { } p50 ? $", p50 {Report.F(p50, 2)} ms" : "")
            + (P99Ms is { } p99 ? $", p99 {Report.F(p99, 2)} ms" : "")
            + $", failures {Report.N(Failures)}");
        if (Note.Length > 0)
        {
            Console.WriteLine($"   {Note}");
        }
        if (Failed)
        {
            Console.WriteLine($"   FAILED: {Problem ?? $"{Report.N(Failures)} request(s) did not answer 2xx"}");
        }
    }
}
