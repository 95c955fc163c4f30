namespace Chatport.Delivery.Retries;

/// <summary>A jitter source that always returns the same factor; meant for tests and for switching jitter off (1.0).</summary>
/// <param name="factor">The factor to return, in [<see cref="IJitter.MinFactor"/>, <see cref="IJitter.MaxFactor"/>].</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is outside [0.8, 1.2] or not a number.</exception>
public sealed class FixedJitter(double factor) : IJitter
{
    /// <summary>A jitter source that returns 1.0: the schedule's delays exactly, with no jitter.</summary>
    public static FixedJitter None { get; } = new(1.0);

    /// <summary>The factor every call to <see cref="NextFactor"/> returns.</summary>
    public double Factor { get; } = Validate(factor);

    /// <inheritdoc />
    public double NextFactor() => Factor;

    private static double Validate(double factor)
    {
        if (double.IsNaN(factor) || factor < IJitter.MinFactor || factor > IJitter.MaxFactor)
        {
            throw new ArgumentOutOfRangeException(
                nameof(factor), factor, $"A jitter factor must be between {IJitter.MinFactor} and {IJitter.MaxFactor}.");
        }

        return factor;
    }
}
