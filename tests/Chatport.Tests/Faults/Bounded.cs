using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Chatport.Tests.Faults;

/// <summary>Time bounds for the fault tests: a whole test fails rather than hangs, and every wait has a deadline.</summary>
internal static class Bounded
{
    private static readonly TimeSpan CleanUpGrace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs a test body; past <paramref name="bound"/> it cancels the body's token, gives it a little time to clean
    /// up (kill its processes) and fails the test, naming the bound.
    /// </summary>
    public static async Task RunAsync(TimeSpan bound, Func<CancellationToken, Task> body, [CallerMemberName] string test = "")
    {
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(() => body(cancel.Token), CancellationToken.None);
        if (await Task.WhenAny(run, Task.Delay(bound, CancellationToken.None)) == run)
        {
            await run;
            return;
        }
        await cancel.CancelAsync();
        var cleanedUp = await Task.WhenAny(run, Task.Delay(CleanUpGrace, CancellationToken.None)) == run;
        var why = run.IsFaulted ? $" When cancelled it failed with: {run.Exception!.InnerException?.Message}" : "";
        Assert.Fail($"{test} did not finish within {bound.TotalSeconds:0} s (its overall bound) and was cancelled"
            + (cleanedUp ? "." : $"; it had not cleaned up {CleanUpGrace.TotalSeconds:0} s later.") + why);
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; past <paramref name="deadline"/> fails with
    /// <paramref name="failure"/> (evaluated then, so it can say what was seen last).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, DateTime deadline, Func<string> failure, CancellationToken cancellationToken, int intervalMs = 100)
    {
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(failure());
            }
            await Task.Delay(intervalMs, cancellationToken);
        }
    }

    public static Task UntilAsync(Func<bool> condition, DateTime deadline, Func<string> failure, CancellationToken cancellationToken, int intervalMs = 100) =>
        UntilAsync(() => Task.FromResult(condition()), deadline, failure, cancellationToken, intervalMs);
}

/// <summary>Timestamps for a test's output: what happened when, from the test's start.</summary>
internal sealed class Timeline(ITestOutputHelper output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public double Seconds => _clock.Elapsed.TotalSeconds;

    public void Log(string line)
    {
        try
        {
            output.WriteLine($"[{Seconds,7:0.000} s] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test is over (a background task outlived it); nobody reads this line.
        }
    }
}
