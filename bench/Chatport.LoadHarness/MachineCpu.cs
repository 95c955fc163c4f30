using System.Globalization;

namespace Chatport.LoadHarness;

/// <summary>
/// The whole machine's CPU time by state (the first line of <c>/proc/stat</c>), so a run can say whether its cores
/// were busy, idle, waiting for the disk, or taken by the hypervisor (steal) — not guess at "other work".
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Idle, long IoWait, long Steal)
{
    /// <summary>Now, or null where there is no <c>/proc/stat</c>.</summary>
    public static MachineCpu? Read()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal
            return new MachineCpu(f[0] + f[1] + f[2] + f[5] + f[6], f[3], f[4], f[7]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>"busy 81 %, idle 12 %, I/O wait 5 %, steal 1 %" of all cores between two readings.</summary>
    public static string Describe(MachineCpu? before, MachineCpu? after)
    {
        if (before is not { } a || after is not { } b)
        {
            return "n/a";
        }
        var busy = b.Busy - a.Busy;
        var idle = b.Idle - a.Idle;
        var wait = b.IoWait - a.IoWait;
        var steal = b.Steal - a.Steal;
        double total = busy + idle + wait + steal;
        return total <= 0
            ? "n/a"
            : $"busy {Report.F(100 * busy / total, 0)} %, idle {Report.F(100 * idle / total, 0)} %, I/O wait {Report.F(100 * wait / total, 0)} %, steal {Report.F(100 * steal / total, 0)} %";
    }
}
