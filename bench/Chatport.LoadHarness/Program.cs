using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Chatport.LoadHarness;

// Hidden verb: the ceiling scenario's bare Kestrel, in a process of its own (CeilingServer.StartAsync runs it).
if (args is ["ceiling-server", var ceilingPort])
{
    return await CeilingServer.ServeAsync(int.Parse(ceilingPort, CultureInfo.InvariantCulture));
}

var options = HarnessOptions.Parse(args, out var error);
if (options is null)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }
    Console.WriteLine(HarnessOptions.Usage);
    return error is null ? 0 : 2;
}

var dll = Path.GetFullPath(options.ChatportDll ?? Path.Combine(Harness.RepositoryRoot(), "src", "Chatport", "bin", "Release", "net10.0", "chatport.dll"));
foreach (var path in new[] { dll, options.CompareDll }.OfType<string>())
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{Path.GetFullPath(path)} does not exist. Build Chatport first: dotnet build -c Release src/Chatport (or pass --chatport PATH).");
        return 2;
    }
}

using var stop = new CancellationTokenSource();
void KillAll()
{
    lock (ChatportServer.Running)
    {
        ChatportServer.Running.ForEach(s => s.Kill());
    }
}
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C kills Chatport at once and stops the run (no figures); a second Ctrl+C ends the harness at once.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("Stopping…");
        stop.Cancel();
    }
    KillAll();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
// kill PID / a closed terminal: the same as Ctrl+C (Chatport must not outlive the harness).
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Terminate);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Terminate);
void Terminate(PosixSignalContext context)
{
    context.Cancel = true;
    KillAll();
    stop.Cancel();
}

if (options.Scenario == "hangfire")
{
    return await HangfireScenario.RunAsync(options, dll, stop.Token);
}
Console.WriteLine($"Chatport end-to-end benchmark: {options.Scenario}");
Console.WriteLine($"Chatport: {dll}" + (options.CompareDll is { } compare ? $" (B), against {Path.GetFullPath(compare)} (A)" : ""));
Report.Machine("start");
var started = Stopwatch.GetTimestamp();
try
{
    if (options.Scenario == "suite")
    {
        return await Suite.RunAsync(options, dll, stop.Token);
    }
    if (options.Scenario is "latency" or "burst" or "dead" && options.CompareDll is null)
    {
        await using var run = await ChatportRun.StartAsync(options, dll, stop.Token);
        Console.WriteLine($"Chatport is ready at {run.Server.Address} (pid {run.Server.ProcessId}, data {run.Server.DataDir}, {run.Storage}) "
            + $"after {Report.F(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s.");
        switch (options.Scenario)
        {
            case "latency":
                await LatencyScenario.RunAsync(run.Harness);
                break;
            case "burst":
                await BurstScenario.RunAsync(run.Harness);
                break;
            default:
                await DeadScenario.RunAsync(run.Harness);
                break;
        }
        Report.Machine("end");
        Report.SharedCoresNote(options.Receiver);
        return 0;
    }
    if (options.Scenario == "dead")
    {
        Console.Error.WriteLine("dead does not take --compare.");
        return 2;
    }
    var loadAtStart = Report.LoadAverage();
    var rows = await Suite.RunOneAsync(options.Scenario, options, dll, stop.Token);
    Console.WriteLine();
    Suite.PrintContext(options, dll, loadAtStart);
    Console.WriteLine();
    Suite.PrintTable(rows);
    return rows.Any(r => r.Failed) ? 1 : 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; no figures.");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
{
    Console.Error.WriteLine($"The run failed: {e.Message}");
    return 1;
}
