using Chatport.Delivery.Retries;

namespace Chatport.Tests.Retries;

public sealed class JitterTests
{
    [Fact]
    public void RandomJitter_stays_within_plus_minus_20_percent_over_many_draws()
    {
        var jitter = new RandomJitter();
        var draws = Enumerable.Range(0, 10_000).Select(_ => jitter.NextFactor()).ToList();

        Assert.All(draws, f => Assert.InRange(f, 0.8, 1.2));
        Assert.True(draws.Distinct().Count() > 1000, "draws should not repeat");
        // Uniform over [0.8, 1.2): both ends of the range are reached in 10 000 draws.
        Assert.Contains(draws, f => f < 0.85);
        Assert.Contains(draws, f => f > 1.15);
        Assert.InRange(draws.Average(), 0.98, 1.02);
    }

    [Fact]
    public async Task RandomJitter_is_safe_to_share_between_threads()
    {
        var jitter = RandomJitter.Instance;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 1000).Select(_ => jitter.NextFactor()).ToArray())));

        var all = results.SelectMany(r => r).ToList();
        Assert.All(all, f => Assert.InRange(f, 0.8, 1.2));
        Assert.True(all.Distinct().Count() > 1000);
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void FixedJitter_returns_its_factor(double factor)
    {
        var jitter = new FixedJitter(factor);

        Assert.Equal(factor, jitter.NextFactor());
        Assert.Equal(factor, jitter.NextFactor());
        Assert.Equal(factor, jitter.Factor);
    }

    [Theory]
    [InlineData(0.79)]
    [InlineData(1.21)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    public void FixedJitter_refuses_factors_outside_the_range(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedJitter(factor));
    }
}
