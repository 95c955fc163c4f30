using System.Diagnostics.Metrics;

namespace Chatport.Delivery.Telemetry;

/// <summary>
/// The dispatcher's instruments (meter <c>Chatport.Delivery</c>), exported at <c>/metrics</c>. Tags never hold
/// secrets or message contents: destination ids and outcomes only.
/// </summary>
public sealed class DeliveryMetrics : IDisposable
{
    public const string MeterName = "Chatport.Delivery";

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _latency;
    private long _queueDepth;
    private double _oldestPendingAgeSeconds;

    public DeliveryMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _attempts = _meter.CreateCounter<long>("chatport.delivery.attempts", "{attempt}", "Attempts to send a delivery, by outcome.");
        _deliveries = _meter.CreateCounter<long>("chatport.deliveries", "{delivery}", "Deliveries that reached a final outcome (succeeded, failed).");
        _failures = _meter.CreateCounter<long>("chatport.delivery.destination.failures", "{attempt}", "Failed attempts, by destination.");
        _latency = _meter.CreateHistogram<double>("chatport.delivery.attempt.duration", "s", "Time from sending a delivery to the receiver's answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30] });
        _meter.CreateObservableGauge("chatport.delivery.queue.depth", () => Interlocked.Read(ref _queueDepth), "{delivery}", "Pending deliveries in the outbox.");
        _meter.CreateObservableGauge("chatport.delivery.queue.oldest_age", () => Volatile.Read(ref _oldestPendingAgeSeconds), "s", "Age of the oldest pending delivery.");
    }

    public void Attempt(string outcome, string destinationId, double latencyMs)
    {
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _latency.Record(latencyMs / 1000, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome != "succeeded")
        {
            _failures.Add(1, new KeyValuePair<string, object?>("destination", destinationId));
        }
    }

    public void Finished(string status) => _deliveries.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Queue(long depth, double oldestAgeSeconds)
    {
        Interlocked.Exchange(ref _queueDepth, depth);
        Volatile.Write(ref _oldestPendingAgeSeconds, oldestAgeSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
