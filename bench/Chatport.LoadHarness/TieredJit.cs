using System.Globalization;

namespace Chatport.LoadHarness;

/// <summary>
/// How busy the runtime's background tier-up compiler of a .NET server is: the CPU time of its threads named
/// <c>.NET Tiered Com…</c> (<c>/proc/PID/task/TID/comm</c> and <c>stat</c>). Under load on 2 cores, a fresh server
/// keeps recompiling hot methods (tier 0 → instrumented → tier 1) for 10–20 s, and that compiler took 17 % of
/// Chatport's CPU in a measured window that began 6 s after start. A warm-up therefore lasts until this compiler
/// has gone quiet, so the measured window sees the server as it runs for hours.
/// </summary>
internal static class TieredJit
{
    /// <summary>A warm-up round after which the compiler used less than this share of one core ends the warm-up.</summary>
    public const double SettledShare = 0.03;

    /// <summary>The longest a warm-up goes on while the compiler is still busy.</summary>
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(40);

    /// <summary>The compiler threads' CPU ticks so far, by thread id (empty when the process is gone or not .NET).</summary>
    public static Dictionary<int, long> Sample(int pid)
    {
        var ticks = new Dictionary<int, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    || !File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    continue;
                }
                ticks[tid] = ProcessTreeCpu.Parse(File.ReadAllText(Path.Combine(task, "stat"))).Ticks;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // the process (or a thread) went away while being read: what was read stands
        }
        return ticks;
    }

    /// <summary>
    /// The compiler's CPU time since <paramref name="before"/>. A thread that started since counts from zero; one
    /// that ended since is lost (the runtime keeps one such thread while it has work).
    /// </summary>
    public static TimeSpan Since(int pid, IReadOnlyDictionary<int, long> before) =>
        TimeSpan.FromSeconds(Sample(pid).Sum(t => t.Value - before.GetValueOrDefault(t.Key)) / ProcessTreeCpu.TicksPerSecond);

    /// <summary>
    /// Runs <paramref name="round"/> (one warm-up round of <paramref name="roundLength"/>) until the compiler of
    /// process <paramref name="pid"/> used less than <see cref="SettledShare"/> of a core in a round, or
    /// <see cref="MaxWarmup"/> has passed (then says so). Without a pid (a server that is not .NET), one round.
    /// </summary>
    public static async Task WarmUpAsync(int? pid, TimeSpan roundLength, Func<Task> round)
    {
        for (var rounds = 1; ; rounds++)
        {
            var before = pid is { } p ? Sample(p) : null;
            await round();
            if (pid is not { } id)
            {
                return;
            }
            var jit = Since(id, before!);
            var settled = jit.TotalSeconds < SettledShare * roundLength.TotalSeconds;
            Console.WriteLine($"    warm-up round {rounds}: tier-up compiler {Report.F(jit.TotalMilliseconds, 0)} ms of CPU"
                + (settled ? " (quiet: warm)" : ""));
            if (settled)
            {
                return;
            }
            if (roundLength * (rounds + 1) > MaxWarmup)
            {
                Console.WriteLine($"    the compiler is still busy after {Report.F((roundLength * rounds).TotalSeconds, 0)} s: measuring anyway");
                return;
            }
        }
    }
}
