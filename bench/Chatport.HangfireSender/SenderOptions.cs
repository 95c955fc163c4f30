using System.Globalization;

namespace Chatport.HangfireSender;

/// <summary>The command line: <c>--name value</c> options; <c>--storage</c>, <c>--connection</c> and <c>--target</c> are required.</summary>
internal sealed class SenderOptions
{
    public const string Usage = """
        A Hangfire job per conversation, POSTed by Hangfire's workers with HttpClient (the alternative to Chatport
        that issue 20 measures). Enqueues --count jobs from --producers threads, runs the Hangfire server in this
        process, waits until every conversation got a 2xx, and prints one RESULT line.

        Usage: Chatport.HangfireSender --storage sqlite|postgres --connection CS --target URL [options]

          --storage KIND     sqlite (Hangfire.Storage.SQLite) or postgres (Hangfire.PostgreSql)
          --connection CS    sqlite: the database file's path; postgres: a Npgsql connection string (its schema
                             "hangfire" is made on start)
          --target URL       where each job POSTs its conversation
          --count N          conversations (= jobs) measured [5000]
          --warmup N         jobs enqueued and delivered first, not measured (ids after the measured ones) [0]
          --workers N        Hangfire worker count [Hangfire's default: min(cores * 5, 20) = {0}]
          --producers N      threads calling BackgroundJob.Enqueue at once, as requests into a web app would [4]
          --timeout S        give up when no conversation got its first 2xx for S seconds [600]
        """;

    public string Storage { get; private set; } = "";
    public string Connection { get; private set; } = "";
    public Uri Target { get; private set; } = null!;
    public int Count { get; private set; } = 5000;
    public int Warmup { get; private set; }
    public int Workers { get; private set; } = DefaultWorkers;
    public int Producers { get; private set; } = 4;
    public int TimeoutSeconds { get; private set; } = 600;

    /// <summary>Hangfire's own default (<c>BackgroundJobServerOptions.WorkerCount</c>).</summary>
    public static int DefaultWorkers => Math.Min(Environment.ProcessorCount * 5, 20);

    /// <summary>The options, or null (with the reason; none for --help) when the command line is not valid.</summary>
    public static SenderOptions? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            return null;
        }
        var options = new SenderOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return null;
            }
            var value = args[i + 1];
            switch (name)
            {
                case "--storage" when value is "sqlite" or "postgres":
                    options.Storage = value;
                    continue;
                case "--storage":
                    error = $"--storage takes sqlite or postgres, not \"{value}\".";
                    return null;
                case "--connection":
                    options.Connection = value;
                    continue;
                case "--target" when Uri.TryCreate(value, UriKind.Absolute, out var target):
                    options.Target = target;
                    continue;
                case "--target":
                    error = $"--target takes an absolute URL, not \"{value}\".";
                    return null;
            }
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                error = $"{name} takes a whole number, not \"{value}\".";
                return null;
            }
            switch (name)
            {
                case "--count": options.Count = Math.Max(1, number); break;
                case "--warmup": options.Warmup = number; break;
                case "--workers": options.Workers = Math.Max(1, number); break;
                case "--producers": options.Producers = Math.Max(1, number); break;
                case "--timeout": options.TimeoutSeconds = Math.Max(1, number); break;
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }
        }
        if (options.Storage.Length == 0 || options.Connection.Length == 0 || options.Target is null)
        {
            error = "--storage, --connection and --target are required.";
            return null;
        }
        return options;
    }
}
