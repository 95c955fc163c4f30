using Chatport.Delivery.Retries;

namespace Chatport.Tests.Retries;

/// <summary>A test jitter that returns the given factors in turn, even ones outside the allowed range.</summary>
internal sealed class SequenceJitter(params double[] factors) : IJitter
{
    private int _next;

    public int Calls => _next;

    public double NextFactor() => factors[_next++ % factors.Length];
}
