using System.Globalization;

namespace Chatport.LoadHarness;

/// <summary>The command line: a scenario and <c>--name value</c> options (every option has a default).</summary>
internal sealed class HarnessOptions
{
    public const string Usage = """
        Chatport end-to-end delivery benchmark (a real Chatport process, a real receiver, loopback HTTP).

        Usage: dotnet run -c Release --project bench/Chatport.LoadHarness -- <scenario> [options]

        Scenarios:
          latency   steady load: 1 conversation per POST at --rate/s; finish -> receiver 2xx (target p99 < 20 ms)
          burst     import --count conversations as fast as possible in batches; ingest and delivery rate (target >= 10,000/s)
          dead      --count deliveries fail against a closed port (retrySchedule ["0"]: 2 attempts each); Chatport RSS every second
          hangfire  a Hangfire job per conversation (bench/Chatport.HangfireSender) against Chatport's burst, same storage and --count

        Per-request scenarios (issue 20; wrk -t1 -c64, warm-up rounds of --warmup [5] s until the server's JIT is quiet
        (at most 40 s), then --duration [15] s):
          ceiling       a bare Kestrel (its own process) that only counts POSTs of the seed sample: the loopback ceiling
          php           the seed's PHP receiver: nginx + php-fpm running bench/inbound/php/hook.php
          hook          POST /hooks/{token}, a unique seed-sample body per request (account 208), no destination
          hook-deliver  the same with a webhook destination to the harness's receiver, after 20,000 others were
                        delivered: requests/s and deliveries/s confirmed by the receiver
          events        POST /v1/events, one event per request, a realistic mix (bench/inbound/events.lua)
          ndjson10      the same mix, NDJSON requests of 10 events
          live          whole chats (6 events each) in NDJSON requests of 1,000 chats (--concurrency in flight),
                        each closed and delivered as a signed POST: conversations/s delivered
          suite         ceiling, php, hook, hook-deliver, events, ndjson10, live, burst (--count 50000), latency
                        (--rate 1000) one after another, each on a fresh Chatport; one Markdown table at the end

        Options (defaults in brackets):
          --quick           per-request scenarios and the suite: --duration 5 (burst and latency shortened alike)
          --connections N   wrk's connections [64]
          --postgres CS     run Chatport on PostgreSQL: a fresh database chatport_bench_N per Chatport started,
                            made through CS (an Npgsql connection string to a server the harness may create
                            databases on) and dropped afterwards
          --compare PATH    suite and each Chatport scenario: run it twice, A (this chatport.dll) then B
                            (--chatport), and print B/A
          --rate N          latency: conversations per second [1000]
          --warmup S        latency [30] / burst [30]: warm-up seconds, not measured (burst: imports at full speed
                            for S seconds, waits until all are delivered, then measures on a warm server)
          --duration S      latency: measured seconds [30]; per-request scenarios [15]
          --inflight N      latency: most import requests in flight at once [64]
          --count N         burst [100000] / dead [1000000]: conversations (= deliveries: one destination)
          --batch N         burst, dead: conversations per POST [500]
          --concurrency N   burst, dead: import requests in flight at once [4]
          --ahead N         dead: pause importing while more than N deliveries are pending (0: never pause) [0]
          --timeout S       seconds to wait for the last delivery after the last import [300; latency 30]
          --chatport PATH   chatport.dll [src/Chatport/bin/Release/net10.0/chatport.dll]
          --data-root PATH  where Chatport's fresh data folder is made [the system temp folder]; /dev/shm puts
                            SQLite on tmpfs, where fsync costs nothing (a diagnostic, not a production set-up)
          --keep-data       keep Chatport's temporary data folder (its path is printed)
          --receiver KIND   kestrel: an in-process Kestrel receiver; nginx: an nginx process (apt-get install
                            nginx-light), which costs the shared cores less; arrival times to the millisecond [kestrel]
          --also KINDS      more destinations beside the webhook, comma-separated: jsonl (a JSONL file), csv (a CSV
                            file), sql (SQLite tables under the data dir); every conversation goes to each. Arrival
                            figures stay the webhook's; "outbox drained" waits for all of them [none]
          --storage KIND    hangfire: sqlite or postgres (needs --postgres) [sqlite]
        """;

    public string Scenario { get; private set; } = "";
    public int Rate { get; private set; } = 1000;
    public int? WarmupSeconds { get; private set; }
    /// <summary>--duration as given (null: the scenario's default).</summary>
    public int? Duration { get; private set; }

    /// <summary>latency's measured seconds.</summary>
    public int DurationSeconds => Duration ?? 30;

    /// <summary>A per-request scenario's measured seconds (wrk's -d).</summary>
    public int WrkSeconds => Duration ?? (Quick ? 5 : 15);

    /// <summary>A per-request scenario's warm-up seconds (a wrk run of its own before the measured one).</summary>
    public int WrkWarmupSeconds => WarmupSeconds ?? 5;

    public bool Quick { get; private set; }
    public int Connections { get; private set; } = 64;
    public string? Postgres { get; private set; }
    public string? CompareDll { get; private set; }
    public int MaxInFlight { get; private set; } = 64;
    public int? Count { get; private set; }
    public int Batch { get; private set; } = 500;
    public int Concurrency { get; private set; } = 4;
    public int Ahead { get; private set; }
    public int? TimeoutSeconds { get; private set; }
    public string? ChatportDll { get; private set; }
    public string? DataRoot { get; private set; }
    public bool KeepData { get; private set; }
    public string Receiver { get; private set; } = "kestrel";
    public IReadOnlyList<string> Also { get; private set; } = [];
    public string Storage { get; private set; } = "sqlite";

    /// <summary>A copy for one scenario of the suite, with that scenario's own settings.</summary>
    public HarnessOptions For(string scenario, int? warmup = null, int? duration = null, int? count = null)
    {
        var copy = (HarnessOptions)MemberwiseClone();
        copy.Scenario = scenario;
        copy.WarmupSeconds = warmup ?? WarmupSeconds;
        copy.Duration = duration ?? Duration;
        copy.Count = count ?? Count;
        return copy;
    }

    /// <summary>The options, or null (with the reason) when the command line is not valid.</summary>
    public static HarnessOptions? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            return null;
        }
        var options = new HarnessOptions { Scenario = args[0].ToLowerInvariant() };
        if (options.Scenario is not ("latency" or "burst" or "dead" or "ceiling" or "php" or "hook" or "hook-deliver" or "events" or "ndjson10" or "live" or "suite" or "hangfire"))
        {
            error = $"Unknown scenario \"{args[0]}\".";
            return null;
        }
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--keep-data")
            {
                options.KeepData = true;
                continue;
            }
            if (name == "--quick")
            {
                options.Quick = true;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return null;
            }
            var value = args[++i];
            if (name == "--postgres")
            {
                options.Postgres = value;
                continue;
            }
            if (name == "--compare")
            {
                options.CompareDll = value;
                continue;
            }
            if (name == "--chatport")
            {
                options.ChatportDll = value;
                continue;
            }
            if (name == "--receiver")
            {
                if (value is not ("kestrel" or "nginx"))
                {
                    error = $"--receiver takes kestrel or nginx, not \"{value}\".";
                    return null;
                }
                options.Receiver = value;
                continue;
            }
            if (name == "--also")
            {
                var kinds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (kinds.FirstOrDefault(k => k is not ("jsonl" or "csv" or "sql")) is { } wrong)
                {
                    error = $"--also takes jsonl, csv and sql, not \"{wrong}\".";
                    return null;
                }
                options.Also = kinds;
                continue;
            }
            if (name == "--storage" && value is "sqlite" or "postgres")
            {
                options.Storage = value;
                continue;
            }
            if (name == "--data-root")
            {
                options.DataRoot = value;
                continue;
            }
            if (!int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < 0)
            {
                error = $"{name} takes a whole number, not \"{value}\".";
                return null;
            }
            switch (name)
            {
                case "--rate": options.Rate = Math.Max(1, number); break;
                case "--warmup": options.WarmupSeconds = number; break;
                case "--duration": options.Duration = Math.Max(1, number); break;
                case "--connections": options.Connections = Math.Max(1, number); break;
                case "--inflight": options.MaxInFlight = Math.Max(1, number); break;
                case "--count": options.Count = Math.Max(1, number); break;
                case "--batch": options.Batch = Math.Max(1, number); break;
                case "--concurrency": options.Concurrency = Math.Max(1, number); break;
                case "--ahead": options.Ahead = number; break;
                case "--timeout": options.TimeoutSeconds = Math.Max(1, number); break;
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }
        }
        return options;
    }
}
