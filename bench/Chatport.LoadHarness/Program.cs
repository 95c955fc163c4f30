using System.Diagnostics;
using System.Runtime.InteropServices;
using Chatport.LoadHarness;

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
if (!File.Exists(dll))
{
    Console.Error.WriteLine($"{dll} does not exist. Build Chatport first: dotnet build -c Release src/Chatport (or pass --chatport PATH).");
    return 2;
}

using var stop = new CancellationTokenSource();
var running = new List<ChatportServer>();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C kills Chatport at once and stops the run (no figures); a second Ctrl+C ends the harness at once.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("Stopping…");
        stop.Cancel();
    }
    lock (running)
    {
        running.ForEach(s => s.Kill());
    }
};
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    lock (running)
    {
        running.ForEach(s => s.Kill());
    }
};
// kill PID / a closed terminal: the same as Ctrl+C (Chatport must not outlive the harness).
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Terminate);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Terminate);
void Terminate(PosixSignalContext context)
{
    context.Cancel = true;
    lock (running)
    {
        running.ForEach(s => s.Kill());
    }
    stop.Cancel();
}

if (options.Scenario == "hangfire")
{
    return await HangfireScenario.RunAsync(options, dll, running, stop.Token);
}
Console.WriteLine($"Chatport end-to-end benchmark: {options.Scenario}");
Console.WriteLine($"Chatport: {dll}");
Report.Machine("start");
var started = Stopwatch.GetTimestamp();
try
{
    await using var server = await ChatportServer.StartAsync(dll, options.DataRoot, options.KeepData, stop.Token);
    lock (running)
    {
        running.Add(server);
    }
    Console.WriteLine($"Chatport is ready at {server.Address} (pid {server.ProcessId}, data {server.DataDir}) after {Report.F(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s.");
    using var client = new ChatportClient(server.Address, ChatportServer.AdminKey);
    var harness = new Harness(options, server, client, stop.Token);
    switch (options.Scenario)
    {
        case "latency":
            await LatencyScenario.RunAsync(harness);
            break;
        case "burst":
            await BurstScenario.RunAsync(harness);
            break;
        default:
            await DeadScenario.RunAsync(harness);
            break;
    }
    Report.Machine("end");
    Report.SharedCoresNote(options.Receiver);
    return 0;
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
