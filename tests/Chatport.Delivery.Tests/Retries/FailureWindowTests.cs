using Chatport.Delivery.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Retries;

public sealed class FailureWindowTests
{
    private static readonly DateTimeOffset FailingSince = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_window_is_five_days()
    {
        Assert.Equal(TimeSpan.FromDays(5), FailureWindow.DefaultWindow);
    }

    [Fact]
    public void Not_disabled_one_minute_before_five_days()
    {
        var time = new FakeTimeProvider(FailingSince);
        time.Advance(new TimeSpan(4, 23, 59, 0));

        Assert.False(FailureWindow.ShouldDisable(FailingSince, null, time.GetUtcNow(), FailureWindow.DefaultWindow));
    }

    [Fact]
    public void Disabled_at_exactly_five_days_and_after()
    {
        var time = new FakeTimeProvider(FailingSince);
        time.Advance(TimeSpan.FromDays(5));
        Assert.True(FailureWindow.ShouldDisable(FailingSince, null, time.GetUtcNow(), FailureWindow.DefaultWindow));

        time.Advance(TimeSpan.FromDays(3));
        Assert.True(FailureWindow.ShouldDisable(FailingSince, null, time.GetUtcNow(), FailureWindow.DefaultWindow));
    }

    [Fact]
    public void A_success_before_the_failures_does_not_matter()
    {
        var now = FailingSince + TimeSpan.FromDays(5);

        Assert.True(FailureWindow.ShouldDisable(
            FailingSince, FailingSince - TimeSpan.FromHours(1), now, FailureWindow.DefaultWindow));
    }

    [Fact]
    public void A_success_after_failing_since_resets()
    {
        var now = FailingSince + TimeSpan.FromDays(6);

        Assert.False(FailureWindow.ShouldDisable(
            FailingSince, FailingSince + TimeSpan.FromDays(2), now, FailureWindow.DefaultWindow));
        Assert.False(FailureWindow.ShouldDisable(FailingSince, FailingSince, now, FailureWindow.DefaultWindow));
    }

    [Fact]
    public void Not_failing_is_never_disabled()
    {
        var now = FailingSince + TimeSpan.FromDays(30);

        Assert.False(FailureWindow.ShouldDisable(null, null, now, FailureWindow.DefaultWindow));
        Assert.False(FailureWindow.ShouldDisable(null, FailingSince, now, FailureWindow.DefaultWindow));
    }

    [Fact]
    public void A_custom_window_is_honoured()
    {
        var window = TimeSpan.FromHours(12);

        Assert.False(FailureWindow.ShouldDisable(FailingSince, null, FailingSince + TimeSpan.FromHours(11), window));
        Assert.True(FailureWindow.ShouldDisable(FailingSince, null, FailingSince + TimeSpan.FromHours(12), window));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_window_must_be_positive(long seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            FailureWindow.ShouldDisable(FailingSince, null, FailingSince, TimeSpan.FromSeconds(seconds)));
    }
}
