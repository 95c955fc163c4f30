using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>
/// The webhook receiver a scenario delivers to: it records the first arrival of each conversation (by the
/// <c>chatport-conversation-id</c> header) as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.
/// </summary>
internal interface IReceiver : IAsyncDisposable
{
    /// <summary>The URL deliveries are POSTed to.</summary>
    Uri HookUrl { get; }

    /// <summary>Distinct conversations received so far.</summary>
    long Distinct { get; }

    /// <summary>All requests, repeats included.</summary>
    long Received { get; }

    /// <summary>Requests for a conversation that had already arrived (at-least-once delivery).</summary>
    long Duplicates { get; }

    /// <summary>Requests without a known conversation id.</summary>
    long Unknown { get; }

    /// <summary>The first arrival of conversation <paramref name="id"/> (a Stopwatch timestamp), or 0.</summary>
    long ArrivalOf(long id);

    /// <summary>The CPU time of a receiver in a process of its own; zero for one inside the harness (counted in the harness's).</summary>
    TimeSpan OwnProcessCpuTime();
}

/// <summary>Which receiver a scenario starts (<c>--receiver</c>).</summary>
internal static class Receivers
{
    /// <summary>The CPU time of the harness process and of the receiver's own process, if it has one.</summary>
    public static TimeSpan HarnessCpuTime(IReceiver receiver) => Process.GetCurrentProcess().TotalProcessorTime + receiver.OwnProcessCpuTime();

    public static async Task<IReceiver> StartAsync(string kind, int capacity, CancellationToken cancellationToken) => kind switch
    {
        "nginx" => await NginxReceiver.StartAsync(capacity, cancellationToken),
        _ => await Receiver.StartAsync(capacity, cancellationToken),
    };
}
