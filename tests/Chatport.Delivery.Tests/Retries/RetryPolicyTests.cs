using Chatport.Delivery.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Retries;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Plays the default schedule against a receiver that always fails at once: returns the time of every attempt,
    /// relative to the first, and the final decision.
    /// </summary>
    private static (List<TimeSpan> AttemptTimes, RetryDecision Last) PlayDefault(IJitter jitter)
    {
        var time = new FakeTimeProvider(Start);
        var attemptTimes = new List<TimeSpan> { TimeSpan.Zero }; // attempt 1, the first send
        var attemptsMade = 1;
        while (true)
        {
            var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, attemptsMade, time.GetUtcNow(), jitter, null);
            if (!decision.Retry)
            {
                return (attemptTimes, decision);
            }

            Assert.True(decision.NextAttemptAt >= time.GetUtcNow());
            time.SetUtcNow(decision.NextAttemptAt);
            attemptsMade++;
            attemptTimes.Add(time.GetUtcNow() - Start);
        }
    }

    [Fact]
    public void Default_schedule_step_by_step_without_jitter()
    {
        var time = new FakeTimeProvider(Start);
        var jitter = new FixedJitter(1.0);
        (int AttemptsMade, TimeSpan Delay)[] steps =
        [
            (1, TimeSpan.Zero),
            (2, TimeSpan.FromSeconds(5)),
            (3, TimeSpan.FromMinutes(5)),
            (4, TimeSpan.FromMinutes(30)),
            (5, TimeSpan.FromHours(2)),
            (6, TimeSpan.FromHours(5)),
            (7, TimeSpan.FromHours(10)),
            (8, TimeSpan.FromHours(14)),
            (9, TimeSpan.FromHours(20)),
            (10, TimeSpan.FromHours(24)),
        ];

        foreach (var (attemptsMade, delay) in steps)
        {
            // The attempt took a few seconds to fail: the delay counts from the failure.
            time.Advance(TimeSpan.FromSeconds(3));
            var now = time.GetUtcNow();

            var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, attemptsMade, now, jitter, null);

            Assert.True(decision.Retry, $"after attempt {attemptsMade}");
            Assert.Equal(now + delay, decision.NextAttemptAt);
            Assert.StartsWith($"attempt {attemptsMade + 1} of 11 in ", decision.Reason, StringComparison.Ordinal);
            time.SetUtcNow(decision.NextAttemptAt);
        }

        time.Advance(TimeSpan.FromSeconds(3));
        var last = RetryPolicy.AfterFailure(RetrySchedule.Default, 11, time.GetUtcNow(), jitter, null);
        Assert.False(last.Retry);
        Assert.Equal("dead-lettered after 11 attempts", last.Reason);
        Assert.Equal(time.GetUtcNow(), last.NextAttemptAt);
    }

    [Fact]
    public void Default_schedule_makes_11_attempts_then_dead_letters()
    {
        var (attemptTimes, last) = PlayDefault(new FixedJitter(1.0));

        Assert.Equal(
            [
                TimeSpan.Zero,                       // 1: first send
                TimeSpan.Zero,                       // 2: immediately
                TimeSpan.FromSeconds(5),             // 3
                new TimeSpan(0, 5, 5),               // 4
                new TimeSpan(0, 35, 5),              // 5
                new TimeSpan(2, 35, 5),              // 6
                new TimeSpan(7, 35, 5),              // 7
                new TimeSpan(17, 35, 5),             // 8
                new TimeSpan(1, 7, 35, 5),           // 9
                new TimeSpan(2, 3, 35, 5),           // 10
                new TimeSpan(3, 3, 35, 5),           // 11
            ],
            attemptTimes);
        Assert.False(last.Retry);
        Assert.Equal("dead-lettered after 11 attempts", last.Reason);
    }

    [Fact]
    public void Default_schedule_at_the_low_jitter_bound()
    {
        var (attemptTimes, last) = PlayDefault(new FixedJitter(0.8));

        TimeSpan[] delays =
        [
            TimeSpan.Zero,
            TimeSpan.FromSeconds(4),
            TimeSpan.FromMinutes(4),
            TimeSpan.FromMinutes(24),
            TimeSpan.FromMinutes(96),
            TimeSpan.FromHours(4),
            TimeSpan.FromHours(8),
            TimeSpan.FromMinutes(672),
            TimeSpan.FromHours(16),
            TimeSpan.FromMinutes(1152),
        ];
        Assert.Equal(Cumulative(delays), attemptTimes);
        Assert.Equal("dead-lettered after 11 attempts", last.Reason);
    }

    [Fact]
    public void Default_schedule_at_the_high_jitter_bound()
    {
        var (attemptTimes, last) = PlayDefault(new FixedJitter(1.2));

        TimeSpan[] delays =
        [
            TimeSpan.Zero,
            TimeSpan.FromSeconds(6),
            TimeSpan.FromMinutes(6),
            TimeSpan.FromMinutes(36),
            TimeSpan.FromMinutes(144),
            TimeSpan.FromHours(6),
            TimeSpan.FromHours(12),
            TimeSpan.FromMinutes(1008),
            TimeSpan.FromHours(24),
            TimeSpan.FromMinutes(1728),
        ];
        Assert.Equal(Cumulative(delays), attemptTimes);
        Assert.Equal("dead-lettered after 11 attempts", last.Reason);
    }

    [Fact]
    public void Random_jitter_keeps_every_delay_within_20_percent()
    {
        var jitter = new RandomJitter();
        for (var round = 0; round < 200; round++)
        {
            for (var attemptsMade = 1; attemptsMade <= 10; attemptsMade++)
            {
                var scheduled = RetrySchedule.Default.Delays[attemptsMade - 1];
                var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, attemptsMade, Start, jitter, null);

                Assert.True(decision.Retry);
                Assert.InRange(decision.NextAttemptAt - Start, scheduled * 0.8, scheduled * 1.2);
            }
        }
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(1.2)]
    public void A_zero_delay_stays_zero_whatever_the_jitter(double factor)
    {
        var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, 1, Start, new FixedJitter(factor), null);

        Assert.True(decision.Retry);
        Assert.Equal(Start, decision.NextAttemptAt);
        Assert.Equal("attempt 2 of 11 in 0s", decision.Reason);
    }

    [Fact]
    public void A_jitter_outside_the_range_is_clamped()
    {
        var jitter = new SequenceJitter(5.0, 0.1, double.NaN);

        var high = RetryPolicy.AfterFailure(RetrySchedule.Default, 3, Start, jitter, null);
        var low = RetryPolicy.AfterFailure(RetrySchedule.Default, 3, Start, jitter, null);
        var nan = RetryPolicy.AfterFailure(RetrySchedule.Default, 3, Start, jitter, null);

        Assert.Equal(Start + TimeSpan.FromMinutes(6), high.NextAttemptAt);
        Assert.Equal(Start + TimeSpan.FromMinutes(4), low.NextAttemptAt);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), nan.NextAttemptAt);
    }

    [Fact]
    public void Dead_letters_after_the_last_attempt_of_a_custom_schedule()
    {
        var schedule = RetrySchedule.Parse(["1m", "1h"]);
        var jitter = new FixedJitter(1.0);

        Assert.Equal(Start + TimeSpan.FromMinutes(1), RetryPolicy.AfterFailure(schedule, 1, Start, jitter, null).NextAttemptAt);
        Assert.Equal(Start + TimeSpan.FromHours(1), RetryPolicy.AfterFailure(schedule, 2, Start, jitter, null).NextAttemptAt);

        var last = RetryPolicy.AfterFailure(schedule, 3, Start, jitter, null);
        Assert.False(last.Retry);
        Assert.Equal("dead-lettered after 3 attempts", last.Reason);
    }

    [Fact]
    public void More_attempts_than_the_schedule_allows_also_dead_letter()
    {
        // A schedule shortened while a delivery was under way.
        var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, 15, Start, new FixedJitter(1.0), null);

        Assert.False(decision.Retry);
        Assert.Equal("dead-lettered after 15 attempts", decision.Reason);
    }

    [Fact]
    public void The_jitter_is_not_drawn_for_a_dead_letter()
    {
        var jitter = new SequenceJitter(1.0);

        RetryPolicy.AfterFailure(RetrySchedule.Default, 11, Start, jitter, null);

        Assert.Equal(0, jitter.Calls);
    }

    [Fact]
    public void Refuses_bad_arguments()
    {
        var jitter = new FixedJitter(1.0);

        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.AfterFailure(RetrySchedule.Default, 0, Start, jitter, null));
        Assert.Throws<ArgumentNullException>(() => RetryPolicy.AfterFailure(null!, 1, Start, jitter, null));
        Assert.Throws<ArgumentNullException>(() => RetryPolicy.AfterFailure(RetrySchedule.Default, 1, Start, null!, null));
    }

    [Fact]
    public void Retry_after_longer_than_the_scheduled_delay_wins()
    {
        // After attempt 2 the schedule says 5 s; the receiver asks for 2 minutes.
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 2, Start, new FixedJitter(1.2), TimeSpan.FromSeconds(120));

        Assert.True(decision.Retry);
        Assert.Equal(Start + TimeSpan.FromSeconds(120), decision.NextAttemptAt);
        Assert.Equal("attempt 3 of 11 in 00:02:00 (Retry-After)", decision.Reason);
    }

    [Fact]
    public void Retry_after_applies_to_the_immediate_retry_too()
    {
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 1, Start, new FixedJitter(1.0), TimeSpan.FromSeconds(30));

        Assert.Equal(Start + TimeSpan.FromSeconds(30), decision.NextAttemptAt);
    }

    [Fact]
    public void Retry_after_shorter_than_the_scheduled_delay_is_ignored()
    {
        // After attempt 3 the schedule says 5 min (4 min at 0.8); the receiver asks for 2 minutes.
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 3, Start, new FixedJitter(0.8), TimeSpan.FromSeconds(120));

        Assert.Equal(Start + TimeSpan.FromMinutes(4), decision.NextAttemptAt);
        Assert.Equal("attempt 4 of 11 in 00:04:00", decision.Reason);
    }

    [Fact]
    public void Retry_after_is_capped_at_24_hours()
    {
        var jitter = new FixedJitter(1.0);

        var huge = RetryPolicy.AfterFailure(RetrySchedule.Default, 2, Start, jitter, TimeSpan.FromHours(48));
        var exact = RetryPolicy.AfterFailure(RetrySchedule.Default, 2, Start, jitter, TimeSpan.FromHours(24));
        var max = RetryPolicy.AfterFailure(RetrySchedule.Default, 2, Start, jitter, TimeSpan.MaxValue);

        Assert.Equal(Start + TimeSpan.FromHours(24), huge.NextAttemptAt);
        Assert.Equal("attempt 3 of 11 in 1.00:00:00 (Retry-After, capped at 24h)", huge.Reason);
        Assert.Equal(Start + TimeSpan.FromHours(24), exact.NextAttemptAt);
        Assert.Equal("attempt 3 of 11 in 1.00:00:00 (Retry-After)", exact.Reason);
        Assert.Equal(Start + TimeSpan.FromHours(24), max.NextAttemptAt);
    }

    [Fact]
    public void The_cap_never_shortens_the_schedules_own_delay()
    {
        // After attempt 10 the schedule says 24 h, 28.8 h at 1.2: a long Retry-After does not cut that to 24 h.
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 10, Start, new FixedJitter(1.2), TimeSpan.FromHours(48));

        Assert.Equal(Start + TimeSpan.FromMinutes(1728), decision.NextAttemptAt);
    }

    [Fact]
    public void A_negative_retry_after_counts_as_zero()
    {
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 2, Start, new FixedJitter(1.0), TimeSpan.FromSeconds(-30));

        Assert.Equal(Start + TimeSpan.FromSeconds(5), decision.NextAttemptAt);
    }

    [Fact]
    public void Retry_after_does_not_extend_the_schedule()
    {
        var decision = RetryPolicy.AfterFailure(
            RetrySchedule.Default, 11, Start, new FixedJitter(1.0), TimeSpan.FromSeconds(10));

        Assert.False(decision.Retry);
        Assert.Equal("dead-lettered after 11 attempts", decision.Reason);
    }

    [Fact]
    public void Retry_after_header_feeds_the_policy()
    {
        var time = new FakeTimeProvider(Start);
        var retryAfter = RetryAfterHeader.Parse("600", time.GetUtcNow());

        var decision = RetryPolicy.AfterFailure(RetrySchedule.Default, 2, time.GetUtcNow(), new FixedJitter(1.0), retryAfter);

        Assert.Equal(Start + TimeSpan.FromMinutes(10), decision.NextAttemptAt);
    }

    private static List<TimeSpan> Cumulative(TimeSpan[] delays)
    {
        var times = new List<TimeSpan> { TimeSpan.Zero };
        var at = TimeSpan.Zero;
        foreach (var delay in delays)
        {
            at += delay;
            times.Add(at);
        }

        return times;
    }
}
