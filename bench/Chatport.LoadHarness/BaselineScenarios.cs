namespace Chatport.LoadHarness;

/// <summary>
/// The two yardsticks the per-request rows are compared with, both loaded by wrk with a unique seed-sample body per
/// request (bench/inbound/unique-bodies.lua): <c>ceiling</c>, a bare Kestrel that only counts POSTs, and <c>php</c>,
/// the seed's receiver under nginx + php-fpm (it keeps only the last body).
/// </summary>
internal static class BaselineScenarios
{
    public static async Task<Row> CeilingAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        await using var server = await CeilingServer.StartAsync(cancellationToken);
        Console.WriteLine($"ceiling: a bare Kestrel (pid {server.ProcessId}) at {server.Url}");
        var phases = await WrkPhases.RunAsync(options, server.Url, "unique-bodies.lua",
            sent => [Wrk.SamplePath, Wrk.Id(100_000_000 + sent)], [Wrk.SamplePath, "200000000"], server.ProcessId, server.CpuTime, cancellationToken);
        var counted = await server.CountAsync(cancellationToken);
        var answered = phases.Warmup.Ok + phases.Measured.Ok;
        return phases.RequestsRow("ceiling", $"bare Kestrel, counted {Report.N(counted)} POSTs",
            counted < answered ? $"the server counted {Report.N(counted)} POSTs for {Report.N(answered)} 2xx" : null, isChatport: false);
    }

    public static async Task<Row> PhpAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        await using var server = await PhpServer.StartAsync(cancellationToken);
        Console.WriteLine($"php: nginx + php-fpm running hook.php at {server.Url}");
        var phases = await WrkPhases.RunAsync(options, server.Url, "unique-bodies.lua",
            sent => [Wrk.SamplePath, Wrk.Id(100_000_000 + sent)], [Wrk.SamplePath, "200000000"], null, server.CpuTime, cancellationToken);
        var data = Path.Combine(server.WwwDir, "data.json");
        var kept = File.Exists(data) ? $"data.json holds {new FileInfo(data).Length:N0} B (the last body; the others are lost)" : "no data.json";
        return phases.RequestsRow("php", $"nginx + php-fpm (4 children), {kept}", isChatport: false);
    }
}
