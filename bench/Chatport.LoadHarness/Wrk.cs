using System.Diagnostics;
using System.Globalization;

namespace Chatport.LoadHarness;

/// <summary>
/// What one wrk run answered: the <c>RESULT key=value …</c> line its Lua script prints in <c>done()</c>
/// (bench/inbound/unique-bodies.lua and events.lua), plus when it ran.
/// </summary>
internal sealed class WrkResult(IReadOnlyDictionary<string, double> fields, long started, long finished, string output)
{
    public long Started => started;

    public long Finished => finished;

    public string Output => output;

    public double this[string key] => fields.TryGetValue(key, out var value) ? value : double.NaN;

    public long Requests => (long)this["requests"];

    public double Seconds => this["seconds"];

    public double Rps => this["rps"];

    public long Ok => (long)this["ok2xx"];

    public long Non2xx => (long)this["non2xx"];

    public long SocketErrors => (long)this["socket_errors"];

    /// <summary>The first non-2xx answers the script wrote to stderr (at most 3).</summary>
    public string FirstFailures => string.Join(" | ", output.Split('\n').Where(l => l.StartsWith("non-2xx:", StringComparison.Ordinal)).Take(3));

    /// <summary>
    /// Runs one after another as one: every count added up, rps over the seconds added up; the latency fields are
    /// the last run's.
    /// </summary>
    public static WrkResult Sum(IReadOnlyList<WrkResult> runs)
    {
        var fields = new Dictionary<string, double>(runs[^1].Fields);
        foreach (var key in runs[^1].Fields.Keys.Where(k => !k.EndsWith("_ms", StringComparison.Ordinal)))
        {
            fields[key] = runs.Sum(r => r[key]);
        }
        fields["rps"] = fields["requests"] / fields["seconds"];
        return new WrkResult(fields, runs[0].Started, runs[^1].Finished, string.Concat(runs.Select(r => r.Output)));
    }

    private IReadOnlyDictionary<string, double> Fields => fields;
}

/// <summary>Runs <c>wrk</c> (always <c>-t1</c>, as the figures) with one of bench/inbound's Lua scripts.</summary>
internal static class Wrk
{
    /// <summary>An id or base argument for a script.</summary>
    public static string Id(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>bench/inbound, where the Lua scripts live.</summary>
    public static string ScriptsDir => Path.Combine(Harness.RepositoryRoot(), "bench", "inbound");

    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "seed-sample.json");

    public static async Task<WrkResult> RunAsync(Uri url, string script, int connections, int seconds, IReadOnlyList<string> scriptArgs, CancellationToken cancellationToken)
    {
        var wrk = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("wrk is not installed (Debian: apt-get install wrk; bench/suite.sh installs it).");
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-s", Path.Combine(ScriptsDir, script), url.ToString(), "--" }.Concat(scriptArgs))
        {
            start.ArgumentList.Add(arg);
        }
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        var finished = Stopwatch.GetTimestamp();
        var output = await stdout + await stderr;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no RESULT line (exit {process.ExitCode}):{Environment.NewLine}{output}");
        var fields = new Dictionary<string, double>();
        foreach (var pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && double.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                fields[pair[..eq]] = value;
            }
        }
        return new WrkResult(fields, started, finished, output);
    }
}
