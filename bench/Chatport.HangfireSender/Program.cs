using System.Diagnostics;
using System.Globalization;
using Chatport.HangfireSender;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var options = SenderOptions.Parse(args, out var error);
if (options is null)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, SenderOptions.Usage, SenderOptions.DefaultWorkers));
    return error is null ? 0 : 2;
}

// The app as a team would write it: the generic host, Hangfire's server as a hosted service in the same process,
// a typed HttpClient for the job, logging at Warning (no line per job).
// Configuration files are read once (no reload watcher on the folder, which holds the SQLite file and its WAL).
var settings = new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory, Configuration = new ConfigurationManager() };
settings.Configuration["hostBuilder:reloadConfigOnChange"] = "false";
var builder = Host.CreateApplicationBuilder(settings);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var log = new DeliveryLog(options.Count + options.Warmup + 1);
builder.Services.AddSingleton(log);
builder.Services.AddHttpClient<ConversationJob>(http =>
{
    http.BaseAddress = options.Target;
    http.Timeout = TimeSpan.FromSeconds(30);
});
builder.Services.AddHangfire(configuration => HangfireStorage.Configure(configuration, options.Storage, options.Connection));
builder.Services.AddHangfireServer(server => server.WorkerCount = options.Workers);
using var host = builder.Build();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await host.StartAsync(stop.Token);
var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
Console.WriteLine($"Hangfire {typeof(IBackgroundJobClient).Assembly.GetName().Version} on {options.Storage}, {options.Workers} workers, "
    + $"{options.Producers} producers, POST to {options.Target}; queue poll interval {HangfireStorage.QueuePollInterval.TotalMilliseconds} ms.");

if (options.Storage == "sqlite")
{
    // What the storage's connections run with (it opens its own; these pragmas are SQLite's and the storage's defaults).
    using var probe = new SQLite.SQLiteConnection(options.Connection);
    Console.WriteLine($"SQLite: journal_mode={probe.ExecuteScalar<string>("PRAGMA journal_mode")}, synchronous={probe.ExecuteScalar<int>("PRAGMA synchronous")} (2 = FULL).");
}
try
{
    var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
    if (options.Warmup > 0)
    {
        var warmup = Stopwatch.GetTimestamp();
        await Producers.EnqueueAsync(jobs, options.Count + 1, options.Warmup, options.Producers, stop.Token);
        await WaitAsync(log, options.Warmup, timeout, stop.Token);
        Console.WriteLine($"Warm-up: {options.Warmup} jobs enqueued and delivered in {Stopwatch.GetElapsedTime(warmup).TotalSeconds:F1} s (not measured).");
    }
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var attemptsBefore = log.Attempts;
    var failedBefore = log.Failed;
    var started = Stopwatch.GetTimestamp();
    await Producers.EnqueueAsync(jobs, 1, options.Count, options.Producers, stop.Token);
    var enqueued = Stopwatch.GetTimestamp();
    Console.WriteLine($"Enqueued {options.Count} jobs in {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s; waiting for the last 2xx…");
    var all = await WaitAsync(log, options.Warmup + options.Count, timeout, stop.Token);
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    var delivered = log.Distinct - options.Warmup;
    var enqueueSeconds = Stopwatch.GetElapsedTime(started, enqueued).TotalSeconds;
    var deliverSeconds = Stopwatch.GetElapsedTime(started, log.Last2xx).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT storage={options.Storage} count={options.Count} delivered={delivered} workers={options.Workers} producers={options.Producers} "
        + $"enqueue_s={enqueueSeconds:F3} enqueued_per_s={options.Count / enqueueSeconds:F1} "
        + $"deliver_s={deliverSeconds:F3} delivered_per_s={delivered / deliverSeconds:F1} cpu_s={cpu:F2} "
        + $"attempts={log.Attempts - attemptsBefore} failed_attempts={log.Failed - failedBefore} repeats={log.Repeats}"));
    return all ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; no figures.");
    return 130;
}
finally
{
    using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(15));
    await host.StopAsync(shutdown.Token);
}

// Until `total` conversations got a 2xx (true) or no 2xx came for `timeout` (false).
static async Task<bool> WaitAsync(DeliveryLog log, long total, TimeSpan timeout, CancellationToken cancellationToken)
{
    var progress = Stopwatch.GetTimestamp();
    var seen = log.Distinct;
    while (log.Distinct < total)
    {
        if (log.Distinct != seen)
        {
            seen = log.Distinct;
            progress = Stopwatch.GetTimestamp();
        }
        else if (Stopwatch.GetElapsedTime(progress) > timeout)
        {
            Console.Error.WriteLine($"Only {seen} of {total} conversations got a 2xx, none in the last {timeout.TotalSeconds} s.");
            return false;
        }
        await Task.Delay(20, cancellationToken);
    }
    return true;
}
