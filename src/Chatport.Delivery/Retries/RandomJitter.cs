using System.Security.Cryptography;

namespace Chatport.Delivery.Retries;

/// <summary>
/// Uniformly distributed jitter in [<see cref="IJitter.MinFactor"/>, <see cref="IJitter.MaxFactor"/>), drawn from
/// <see cref="RandomNumberGenerator"/>. Thread-safe; one instance can be shared by every dispatcher.
/// </summary>
public sealed class RandomJitter : IJitter
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>A shared instance; the class holds no state, so it is safe to use from any thread.</summary>
    public static RandomJitter Instance { get; } = new();

    /// <inheritdoc />
    public double NextFactor()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        // 53 random bits give every double in [0, 1) on an even grid.
        var unit = (BitConverter.ToUInt64(bytes) >> 11) * TwoToMinus53;
        var factor = IJitter.MinFactor + (unit * (IJitter.MaxFactor - IJitter.MinFactor));
        return Math.Clamp(factor, IJitter.MinFactor, IJitter.MaxFactor);
    }
}
