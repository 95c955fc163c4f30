using System.Globalization;

namespace Chatport.LoadHarness;

/// <summary>
/// The CPU time (user + system, from <c>/proc/PID/stat</c>) of processes and all their descendants: nginx's
/// workers and php-fpm's children are separate processes of the server being measured.
/// </summary>
internal static class ProcessTreeCpu
{
    /// <summary>The clock ticks of <c>/proc</c>'s CPU times per second (USER_HZ on Linux).</summary>
    public const double TicksPerSecond = 100;

    public static TimeSpan Of(params int[] roots)
    {
        var parents = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (Read(pid) is { } stat)
            {
                parents[pid] = stat;
            }
        }
        var wanted = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, (parent, _)) in parents)
            {
                if (!wanted.Contains(pid) && wanted.Contains(parent))
                {
                    wanted.Add(pid);
                    grew = true;
                }
            }
        }
        while (grew);
        var ticks = wanted.Sum(pid => parents.TryGetValue(pid, out var s) ? s.Ticks : 0);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static (int Parent, long Ticks)? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// A <c>/proc/PID/stat</c> (or <c>/proc/PID/task/TID/stat</c>) line: the parent's pid, and user + system CPU ticks.
    /// </summary>
    public static (int Parent, long Ticks) Parse(string stat)
    {
        // pid (comm) state ppid … utime(14) stime(15): fields counted after the ")" that ends comm
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(rest[1], CultureInfo.InvariantCulture),
            long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture));
    }
}
