using System.Diagnostics;

namespace Chatport.LoadHarness;

internal static class ProcessCpu
{
    /// <summary>A child process's CPU time so far (user + system); zero once it has gone.</summary>
    public static TimeSpan Of(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
