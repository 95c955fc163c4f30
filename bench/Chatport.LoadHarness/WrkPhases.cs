namespace Chatport.LoadHarness;

/// <summary>
/// A wrk warm-up (rounds of it until the server's tier-up compiler is quiet: <see cref="TieredJit"/>), then the
/// measured wrk run, with the server's CPU time over the measured run. <see cref="Warmup"/> adds up every round.
/// </summary>
internal sealed record WrkPhases(WrkResult Warmup, WrkResult Measured, TimeSpan ServerCpu)
{
    /// <summary>
    /// Runs <paramref name="script"/> for the warm-up, each round with <paramref name="warmupArgs"/> of the warm-up
    /// requests sent before it (so a round's ids can follow the last round's), waits a second, then measures with
    /// <paramref name="measuredArgs"/>, reading <paramref name="serverCpu"/> around the measured run.
    /// <paramref name="serverPid"/> is the server's process when it is .NET (its compiler is watched), else null.
    /// </summary>
    public static async Task<WrkPhases> RunAsync(HarnessOptions options, Uri url, string script, Func<long, IReadOnlyList<string>> warmupArgs,
        IReadOnlyList<string> measuredArgs, int? serverPid, Func<TimeSpan> serverCpu, CancellationToken cancellationToken)
    {
        Console.WriteLine($"  wrk -t1 -c{options.Connections} -d{options.WrkWarmupSeconds}s -s {script} (warm-up), load {Report.LoadAverage()}");
        var rounds = new List<WrkResult>();
        await TieredJit.WarmUpAsync(serverPid, TimeSpan.FromSeconds(options.WrkWarmupSeconds), async () =>
        {
            var round = await Wrk.RunAsync(url, script, options.Connections, options.WrkWarmupSeconds, warmupArgs(rounds.Sum(r => r.Requests)), cancellationToken);
            Console.WriteLine($"    {Report.F(round.Rps, 0)} requests/s, {Report.N(round.Non2xx)} non-2xx, {Report.N(round.SocketErrors)} socket errors");
            rounds.Add(round);
        });
        var warmup = WrkResult.Sum(rounds);
        await Task.Delay(1000, cancellationToken);
        Console.WriteLine($"  wrk -t1 -c{options.Connections} -d{options.WrkSeconds}s -s {script} (measured), load {Report.LoadAverage()}");
        var before = serverCpu();
        var measured = await Wrk.RunAsync(url, script, options.Connections, options.WrkSeconds, measuredArgs, cancellationToken);
        var cpu = serverCpu() - before;
        Console.WriteLine($"    {Report.F(measured.Rps, 0)} requests/s, p50 {Report.F(measured["p50_ms"], 2)} ms, p99 {Report.F(measured["p99_ms"], 2)} ms, "
            + $"{Report.N(measured.Non2xx)} non-2xx, {Report.N(measured.SocketErrors)} socket errors; server CPU {Report.F(cpu.TotalSeconds, 1)} s");
        if (warmup.FirstFailures.Length > 0 || measured.FirstFailures.Length > 0)
        {
            Console.WriteLine($"    first failures: {warmup.FirstFailures} {measured.FirstFailures}");
        }
        return new WrkPhases(warmup, measured, cpu);
    }

    /// <summary>Every request of both runs that did not answer 2xx.</summary>
    public long Failures => Warmup.Non2xx + Warmup.SocketErrors + Measured.Non2xx + Measured.SocketErrors;

    public double CpuMicrosPerRequest => Measured.Requests == 0 ? double.NaN : ServerCpu.TotalMilliseconds * 1000 / Measured.Requests;

    /// <summary>The row of a server measured in requests per second (a second figure in deliveries/s, where given).</summary>
    public Row RequestsRow(string what, string note, string? problem = null, double? deliveries = null, bool isChatport = true) => new()
    {
        What = what,
        IsChatport = isChatport,
        Figure = Measured.Rps,
        Unit = "requests/s",
        Second = deliveries,
        CpuMicrosPerRequest = CpuMicrosPerRequest,
        P50Ms = Measured["p50_ms"],
        P99Ms = Measured["p99_ms"],
        Failures = Failures,
        Problem = problem,
        Note = note,
    };
}
