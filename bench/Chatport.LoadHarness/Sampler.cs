using System.Diagnostics;

namespace Chatport.LoadHarness;

/// <summary>One look at the run, taken every second.</summary>
internal sealed record Sample(double Seconds, long Acked, long? Arrived, long? RssKiB, DeliveryCounters? Metrics);

/// <summary>
/// Takes a <see cref="Sample"/> every second (Chatport's VmRSS, <c>/metrics</c>, the counts; no arrivals when
/// there is no receiver) until disposed, and prints one line every <c>printEvery</c> samples.
/// </summary>
internal sealed class Sampler : IAsyncDisposable
{
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    public Sampler(Harness harness, long origin, Func<long> acked, Func<long>? arrived, int printEvery)
    {
        Origin = origin;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(harness.Stopping);
        _loop = Task.Run(() => LoopAsync(harness, acked, arrived, printEvery, _stop.Token));
    }

    /// <summary>The timestamp sample times are counted from.</summary>
    public long Origin { get; }

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public Sample? Latest
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count == 0 ? null : _samples[^1];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task LoopAsync(Harness harness, Func<long> acked, Func<long>? arrived, int printEvery, CancellationToken cancellationToken)
    {
        var next = Origin;
        var count = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            next += Stopwatch.Frequency;
            var wait = Report.Ms(Stopwatch.GetTimestamp(), next);
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            }
            var rss = harness.Server.ReadRssKiB();
            DeliveryCounters? metrics;
            try
            {
                metrics = await harness.Client.MetricsAsync(cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                metrics = null;
            }
            var sample = new Sample(Report.Seconds(Origin, Stopwatch.GetTimestamp()), acked(), arrived?.Invoke(), rss, metrics);
            lock (_samples)
            {
                _samples.Add(sample);
            }
            if (++count % printEvery == 0)
            {
                var queue = metrics?.QueueDepth is { } depth ? Report.N(depth) : "n/a";
                var done = metrics is null ? "" : $"  finished ok/failed {Report.N(metrics.Succeeded)}/{Report.N(metrics.Failed)}";
                var received = sample.Arrived is { } a ? $"  arrived {Report.N(a),9}" : "";
                Console.WriteLine($"  t={Report.F(sample.Seconds, 0),5} s  imported {Report.N(sample.Acked),9}{received}{done}  "
                    + $"pending {queue}  RSS {Report.MiB((rss ?? 0) * 1024)}  load {Report.LoadAverage()}");
            }
        }
    }
}
