using Chatport.Delivery.Retries;

namespace Chatport.Tests.Retries;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Default_has_ten_delays_and_eleven_attempts()
    {
        var schedule = RetrySchedule.Default;

        Assert.Equal(
            [
                TimeSpan.Zero,
                TimeSpan.FromSeconds(5),
                TimeSpan.FromMinutes(5),
                TimeSpan.FromMinutes(30),
                TimeSpan.FromHours(2),
                TimeSpan.FromHours(5),
                TimeSpan.FromHours(10),
                TimeSpan.FromHours(14),
                TimeSpan.FromHours(20),
                TimeSpan.FromHours(24),
            ],
            schedule.Delays);
        Assert.Equal(11, schedule.MaxAttempts);
        Assert.Equal(new TimeSpan(3, 3, 35, 5), schedule.Total);
    }

    [Fact]
    public void Default_echoes_back_in_short_form()
    {
        Assert.Equal(
            ["0", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "1d"],
            RetrySchedule.Default.ToStrings());
        Assert.Equal("0, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 1d", RetrySchedule.Default.ToString());
    }

    [Fact]
    public void Delays_cannot_be_changed_through_the_list()
    {
        var delays = Assert.IsAssignableFrom<IList<TimeSpan>>(RetrySchedule.Default.Delays);

        Assert.True(delays.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => delays[0] = TimeSpan.FromDays(1));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("00", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5s", 5L)]
    [InlineData("5S", 5L)]
    [InlineData("90s", 90L)]
    [InlineData("5m", 300L)]
    [InlineData("30m", 1800L)]
    [InlineData("2h", 7200L)]
    [InlineData("1d", 86_400L)]
    [InlineData("7d", 604_800L)]
    [InlineData(" 5m ", 300L)]
    [InlineData("00:05:00", 300L)]
    [InlineData("02:00:00", 7200L)]
    [InlineData("1.00:00:00", 86_400L)]
    [InlineData("7.00:00:00", 604_800L)]
    [InlineData("00:00:00", 0L)]
    public void Parse_accepts_every_form(string text, long seconds)
    {
        var schedule = RetrySchedule.Parse([text]);

        Assert.Equal([TimeSpan.FromSeconds(seconds)], schedule.Delays);
        Assert.Equal(2, schedule.MaxAttempts);
    }

    [Fact]
    public void Parse_accepts_fractional_time_spans_and_echoes_them_back()
    {
        var schedule = RetrySchedule.Parse(["00:00:01.5"]);

        Assert.Equal([TimeSpan.FromMilliseconds(1500)], schedule.Delays);
        Assert.Equal(["00:00:01.5000000"], schedule.ToStrings());
    }

    [Fact]
    public void Parse_of_the_default_in_text_gives_the_default()
    {
        var schedule = RetrySchedule.Parse(["0", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"]);

        Assert.Equal(RetrySchedule.Default.Delays, schedule.Delays);
        Assert.Equal(11, schedule.MaxAttempts);
    }

    [Fact]
    public void ToStrings_round_trips_through_Parse()
    {
        var schedule = RetrySchedule.Parse(["0", "90s", "00:01:30", "120m", "36h", "1.12:00:00", "00:00:00.25"]);

        var again = RetrySchedule.Parse(schedule.ToStrings());

        Assert.Equal(schedule.Delays, again.Delays);
        Assert.Equal(["0", "90s", "90s", "2h", "36h", "36h", "00:00:00.2500000"], schedule.ToStrings());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("+5s")]
    [InlineData("1.5h")]
    [InlineData("5 m")]
    [InlineData("five")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("00:61:00")]
    [InlineData("ab:cd:ef")]
    public void Parse_refuses_bad_forms_naming_index_and_value(string bad)
    {
        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse(["0", "5s", bad]));

        Assert.Contains("index 2", error.Message, StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(bad))
        {
            Assert.Contains($"\"{bad}\"", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_explains_a_missing_unit()
    {
        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse(["30"]));

        Assert.Equal(
            "Retry delay at index 0 (\"30\") has no unit; write for example \"30s\" for seconds (only 0 may be written without a unit).",
            error.Message);
    }

    [Fact]
    public void Parse_refuses_a_null_entry()
    {
        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse(["5s", null!]));

        Assert.Contains("index 1 is null", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8d")]
    [InlineData("169h")]
    [InlineData("10081m")]
    [InlineData("604801s")]
    [InlineData("7.00:00:01")]
    [InlineData("-00:05:00")]
    [InlineData("99999999999999999999d")]
    [InlineData("9223372036854775807s")]
    public void Parse_refuses_delays_outside_0_to_7_days(string bad)
    {
        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse([bad]));

        Assert.Equal(
            $"Retry delay at index 0 (\"{bad}\") is out of range; each delay must be between 0 and 7 days.",
            error.Message);
    }

    [Fact]
    public void Parse_refuses_an_empty_list()
    {
        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse([]));

        Assert.Equal("A retry schedule needs at least one delay.", error.Message);
    }

    [Fact]
    public void Parse_accepts_20_delays_and_refuses_21()
    {
        Assert.Equal(21, RetrySchedule.Parse(Enumerable.Repeat("1h", 20).ToList()).MaxAttempts);

        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse(Enumerable.Repeat("1h", 21).ToList()));
        Assert.Equal("A retry schedule has at most 20 delays; 21 were given.", error.Message);
    }

    [Fact]
    public void Parse_accepts_a_total_of_30_days_and_refuses_more()
    {
        var thirty = RetrySchedule.Parse(["7d", "7d", "7d", "7d", "2d"]);
        Assert.Equal(TimeSpan.FromDays(30), thirty.Total);

        var error = Assert.Throws<FormatException>(() => RetrySchedule.Parse(["7d", "7d", "7d", "7d", "2d", "1s"]));
        Assert.Equal(
            "The retry delays add up to 30.00:00:01; the total must be at most 30 days.", error.Message);
    }

    [Fact]
    public void Parse_refuses_a_null_list()
    {
        Assert.Throws<ArgumentNullException>(() => RetrySchedule.Parse(null!));
    }

    [Fact]
    public void FromDelays_applies_the_same_rules()
    {
        var schedule = RetrySchedule.FromDelays([TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)]);
        Assert.Equal(3, schedule.MaxAttempts);

        Assert.Throws<ArgumentException>(() => RetrySchedule.FromDelays([]));
        Assert.Throws<ArgumentException>(() => RetrySchedule.FromDelays([TimeSpan.FromSeconds(-1)]));
        Assert.Throws<ArgumentException>(() => RetrySchedule.FromDelays([TimeSpan.FromDays(7) + TimeSpan.FromTicks(1)]));
    }

    [Fact]
    public void FromDelays_copies_its_input()
    {
        var source = new List<TimeSpan> { TimeSpan.FromMinutes(1) };
        var schedule = RetrySchedule.FromDelays(source);

        source[0] = TimeSpan.FromDays(1);

        Assert.Equal([TimeSpan.FromMinutes(1)], schedule.Delays);
    }
}
