using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Chatport.LoadHarness;

/// <summary>Percentiles of a sample (nearest rank on the sorted values).</summary>
internal sealed class Distribution
{
    private readonly double[] _sorted;

    public Distribution(IEnumerable<double> values)
    {
        _sorted = values.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Min => Count == 0 ? double.NaN : _sorted[0];

    public double Max => Count == 0 ? double.NaN : _sorted[^1];

    public double Mean => Count == 0 ? double.NaN : _sorted.Average();

    /// <summary>The value at percentile <paramref name="p"/> (0 to 100), nearest rank.</summary>
    public double At(double p)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * Count);
        return _sorted[Math.Clamp(rank - 1, 0, Count - 1)];
    }

    /// <summary>The share of values that are below <paramref name="limit"/>.</summary>
    public double ShareBelow(double limit)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var index = Array.BinarySearch(_sorted, limit);
        if (index < 0)
        {
            index = ~index;
        }
        else
        {
            while (index > 0 && _sorted[index - 1] >= limit)
            {
                index--;
            }
        }
        return (double)index / Count;
    }
}

/// <summary>Formatting and the machine context every report begins and ends with.</summary>
internal static class Report
{
    public static double Ms(long fromTimestamp, long toTimestamp) => (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    public static double Seconds(long fromTimestamp, long toTimestamp) => (toTimestamp - fromTimestamp) / (double)Stopwatch.Frequency;

    public static string F(double value, int decimals = 1) =>
        double.IsNaN(value) ? "n/a" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => F(bytes / 1024.0 / 1024.0, 1) + " MiB";

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} / {parts[1]} / {parts[2]} (1 / 5 / 15 min)";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    public static void Machine(string when)
    {
        Console.WriteLine($"Machine ({when}): {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; load average {LoadAverage()}.");
    }

    public static void SharedCoresNote(string receiver)
    {
        var where = receiver == "nginx" ? "the load generator in this process, the receiver in nginx's" : "these last two in this process";
        Console.WriteLine($"Note: Chatport, the load generator and the receiver ({where}) all run on the same {Environment.ProcessorCount} cores, "
            + "which other work on the machine shares too; every figure includes that contention.");
    }

    /// <summary>Prints a Markdown table (also readable as plain text).</summary>
    public static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = new int[header.Length];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        string Line(string[] row) => "| " + string.Join(" | ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in all.Skip(1))
        {
            Console.WriteLine(Line(row));
        }
    }

    /// <summary>One table row of a latency distribution, in milliseconds.</summary>
    public static string[] LatencyRow(string name, Distribution d) =>
        [name, N(d.Count), F(d.At(50), 2), F(d.At(90), 2), F(d.At(99), 2), F(d.At(99.9), 2), F(d.Max, 2)];

    public static readonly string[] LatencyHeader = ["ms", "n", "p50", "p90", "p99", "p99.9", "max"];
}
