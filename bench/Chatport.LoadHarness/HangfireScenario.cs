using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Chatport.LoadHarness;

/// <summary>
/// Chatport against the Hangfire-based sender (issue 20: "Chatport ≥ 100 × the Hangfire-based sender on the same
/// storage"), one after the other in one run, each with a fresh receiver and fresh storage: first Chatport's burst
/// (<c>--count</c> conversations imported in arrays of <c>--batch</c> to one webhook destination, after a warm-up),
/// then <c>bench/Chatport.HangfireSender</c> as a process of its own (a Hangfire job per conversation, its server in
/// the same process), on SQLite files or on fresh PostgreSQL databases (<c>--storage postgres --postgres CS</c>).
/// Both rates are first enqueue or import → last 2xx at the receiver; the ratio is Chatport / Hangfire.
/// </summary>
internal static class HangfireScenario
{
    /// <summary>Jobs the sender runs before it measures (its JIT and connection pools warm).</summary>
    private const int SenderWarmup = 200;

    /// <summary>The most conversations Chatport's warm-up imports (ids after the measured ones).</summary>
    private const int WarmupCapacity = 500_000;

    public static async Task<int> RunAsync(HarnessOptions options, string chatportDll, CancellationToken stopping)
    {
        var count = options.Count ?? 5000;
        if (options.Storage == "postgres" && options.Postgres is null)
        {
            Console.Error.WriteLine("--storage postgres needs --postgres CS (a connection string to the server; fresh databases are made on it).");
            return 2;
        }
        var sender = SenderDll();
        if (!File.Exists(sender))
        {
            Console.Error.WriteLine($"{sender} does not exist. Build it first: dotnet build -c Release bench/Chatport.HangfireSender");
            return 2;
        }
        Console.WriteLine($"Chatport against a Hangfire-based sender, on {options.Storage}, {Report.N(count)} conversations each.");
        Console.WriteLine($"Chatport: {chatportDll}");
        Console.WriteLine($"Sender: {sender}");
        Report.Machine("start");
        try
        {
            var chatport = await RunChatportAsync(options, chatportDll, count, stopping);
            Report.Machine("between the two");
            var hangfire = await RunSenderAsync(options, sender, count, stopping);
            Report.Machine("end");
            Summarize(options, count, chatport, hangfire);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped before the end; no figures.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or NpgsqlException)
        {
            Console.Error.WriteLine($"The run failed: {e.Message}");
            return 1;
        }
    }

    private sealed record Side(double DeliveredPerSecond, double IntakePerSecond, double CpuSeconds, long Delivered, string Machine, string Notes);

    /// <summary>Chatport's burst on the storage, through the harness's own import path (<see cref="Harness.ImportAllAsync"/>).</summary>
    private static async Task<Side> RunChatportAsync(HarnessOptions options, string chatportDll, int count, CancellationToken stopping)
    {
        await using var database = options.Storage == "postgres" ? await FreshDatabase.CreateAsync(options.Postgres!, "chatport", stopping) : null;
        // Chatport inherits this process's environment (as in the burst's PostgreSQL runs).
        Environment.SetEnvironmentVariable("Chatport__Storage__Provider", database is null ? null : "postgres");
        Environment.SetEnvironmentVariable("Chatport__Storage__ConnectionString", database?.ConnectionString);
        // StartAsync lists the server in ChatportServer.Running, which Ctrl+C kills.
        await using var server = await ChatportServer.StartAsync(chatportDll, options.DataRoot, options.KeepData, stopping);
        Console.WriteLine();
        Console.WriteLine($"## Chatport (pid {server.ProcessId}) on {(database is null ? "SQLite, " + server.DataDir : "PostgreSQL, database " + database.Name)}");
        using var client = new ChatportClient(server.Address, ChatportServer.AdminKey);
        var harness = new Harness(options, server, client, stopping);
        await using var receiver = await Receivers.StartAsync(options.Receiver, count + 1 + WarmupCapacity, stopping);
        await harness.SetUpAsync(receiver.HookUrl, retrySchedule: null);
        var warmed = await WarmUpAsync(harness, receiver, count, options.WarmupSeconds ?? 10);

        var cpuBefore = server.CpuTime();
        var machineBefore = MachineCpu.Read();
        var ingest = await harness.ImportAllAsync(count, options.Batch, options.Concurrency, new Counter());
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds ?? 300);
        while (receiver.Distinct < warmed + count && Stopwatch.GetElapsedTime(ingest.Finished) < timeout)
        {
            await Task.Delay(5, stopping);
        }
        var cpu = server.CpuTime() - cpuBefore;
        var machine = MachineCpu.Describe(machineBefore, MachineCpu.Read());
        long last = 0, delivered = 0;
        for (long id = 1; id <= count; id++)
        {
            var arrival = receiver.ArrivalOf(id);
            if (arrival != 0)
            {
                delivered++;
                last = Math.Max(last, arrival);
            }
        }
        var rate = delivered == 0 ? double.NaN : delivered / Report.Seconds(ingest.Started, last);
        Console.WriteLine($"Imported {Report.N(count)} in arrays of {options.Batch} ({options.Concurrency} in flight) in {Report.F(ingest.Seconds, 2)} s; "
            + $"{Report.N(delivered)} arrived, the last {Report.F(Report.Seconds(ingest.Started, last), 2)} s after the first import; Chatport CPU {Report.F(cpu.TotalSeconds, 2)} s.");
        return new Side(rate, ingest.Rate, cpu.TotalSeconds, delivered, machine,
            $"arrays of {options.Batch}, {options.Concurrency} in flight, after a {Report.N(warmed)}-conversation warm-up; receiver repeats {Report.N(receiver.Duplicates)}");
    }

    /// <summary>Imports at full speed for <paramref name="seconds"/> (ids after the measured ones) and waits until all of it is delivered.</summary>
    private static async Task<long> WarmUpAsync(Harness harness, IReceiver receiver, int count, int seconds)
    {
        var started = Stopwatch.GetTimestamp();
        long imported = 0;
        while (Stopwatch.GetElapsedTime(started).TotalSeconds < seconds && imported + 10_000 <= WarmupCapacity)
        {
            await harness.ImportAllAsync(10_000, harness.Options.Batch, harness.Options.Concurrency, new Counter(), firstId: count + 1 + imported);
            imported += 10_000;
        }
        while (receiver.Distinct < imported || (await harness.Client.MetricsAsync(harness.Stopping))?.QueueDepth is > 0)
        {
            await Task.Delay(200, harness.Stopping);
        }
        Console.WriteLine($"Warm-up: {Report.N(imported)} conversations imported and delivered in {Report.F(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s (not measured).");
        return imported;
    }

    /// <summary>The sender as a process of its own, against a fresh receiver, on a fresh SQLite file or PostgreSQL database.</summary>
    private static async Task<Side> RunSenderAsync(HarnessOptions options, string senderDll, int count, CancellationToken stopping)
    {
        var folder = options.DataRoot is null
            ? Directory.CreateTempSubdirectory("chatport-hangfire-").FullName
            : Directory.CreateDirectory(Path.Combine(Path.GetFullPath(options.DataRoot), $"chatport-hangfire-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}")).FullName;
        try
        {
            await using var database = options.Storage == "postgres" ? await FreshDatabase.CreateAsync(options.Postgres!, "hangfire", stopping) : null;
            var connection = database?.ConnectionString ?? Path.Combine(folder, "hangfire.db");
            await using var receiver = await Receivers.StartAsync(options.Receiver, count + 1 + SenderWarmup, stopping);
            Console.WriteLine();
            Console.WriteLine($"## Hangfire-based sender on {(database is null ? "SQLite, " + connection : "PostgreSQL, database " + database.Name)}");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
            foreach (var arg in new[]
            {
                senderDll, "--storage", options.Storage, "--connection", connection, "--target", receiver.HookUrl.ToString(),
                "--count", count.ToString(CultureInfo.InvariantCulture), "--warmup", SenderWarmup.ToString(CultureInfo.InvariantCulture),
            })
            {
                start.ArgumentList.Add(arg);
            }
            var machineBefore = MachineCpu.Read();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
            using var kill = stopping.Register(() => process.Kill(entireProcessTree: true));
            string? result = null;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    Console.WriteLine($"  sender> {line}");
                    if (line.StartsWith("RESULT ", StringComparison.Ordinal))
                    {
                        result = line;
                    }
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    Console.WriteLine($"  sender! {line}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.WaitForExitAsync(stopping);
            var machine = MachineCpu.Describe(machineBefore, MachineCpu.Read());
            if (result is null)
            {
                throw new InvalidOperationException($"The sender exited with code {process.ExitCode} without a RESULT line.");
            }
            var figures = result.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            double Figure(string key) => double.Parse(figures[key], CultureInfo.InvariantCulture);
            var arrived = Enumerable.Range(1, count).Count(id => receiver.ArrivalOf(id) != 0);
            Console.WriteLine($"The receiver saw {Report.N(arrived)} of the {Report.N(count)} measured conversations ({Report.N(receiver.Duplicates)} repeats).");
            return new Side(Figure("delivered_per_s"), Figure("enqueued_per_s"), Figure("cpu_s"), arrived, machine,
                $"{figures["workers"]} workers, {figures["producers"]} producers, after a {SenderWarmup}-job warm-up; {figures["attempts"]} attempts, {figures["failed_attempts"]} failed");
        }
        finally
        {
            if (!options.KeepData)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static void Summarize(HarnessOptions options, int count, Side chatport, Side hangfire)
    {
        Console.WriteLine();
        Console.WriteLine($"## hangfire — summary ({options.Storage}, {Report.N(count)} conversations each, one after the other)");
        Console.WriteLine();
        string[] Row(string name, Side side, string intake) =>
        [
            name, Report.F(side.DeliveredPerSecond, 0), Report.F(side.IntakePerSecond, 0) + " " + intake, Report.N(side.Delivered),
            Report.F(side.CpuSeconds * 1_000_000 / count, 0) + " µs", side.Machine, side.Notes,
        ];
        Report.Table(["sender", "delivered/s (first in → last 2xx)", "taken in/s", "delivered", "CPU per conversation (its process)", "all cores meanwhile", "set-up"],
        [
            Row("Chatport", chatport, "imported"),
            Row("Hangfire", hangfire, "enqueued"),
        ]);
        Console.WriteLine();
        var ratio = chatport.DeliveredPerSecond / hangfire.DeliveredPerSecond;
        Console.WriteLine($"Chatport / Hangfire on {options.Storage}: {Report.F(ratio, 1)} × delivered/s (target ≥ 100 ×: {(ratio >= 100 ? "met" : "NOT met")}); "
            + $"CPU per conversation {Report.F(hangfire.CpuSeconds / chatport.CpuSeconds, 1)} × less in Chatport.");
        if (options.Storage == "postgres")
        {
            Console.WriteLine("PostgreSQL's own processes are not in either CPU figure.");
        }
    }

    /// <summary>bench/Chatport.HangfireSender's build of the same configuration as this harness (Release or Debug).</summary>
    private static string SenderDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        return Path.Combine(Harness.RepositoryRoot(), "bench", "Chatport.HangfireSender", "bin", configuration, "net10.0", "Chatport.HangfireSender.dll");
    }

    /// <summary>A database made for one side of the run on the <c>--postgres</c> server, dropped (with its connections) on dispose.</summary>
    private sealed class FreshDatabase(string server, string name) : IAsyncDisposable
    {
        public string Name => name;

        public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

        public static async Task<FreshDatabase> CreateAsync(string server, string side, CancellationToken cancellationToken)
        {
            var name = $"bench_{side}_{Environment.ProcessId}_{TimeProvider.System.GetUtcNow():HHmmss}";
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return new FreshDatabase(server, name);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
