using Chatport.Delivery.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Retries;

public sealed class RetryAfterHeaderTests
{
    // Wed, 21 Oct 2015 07:28:00 GMT is the example of RFC 9110; "now" is ten minutes earlier.
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2015, 10, 21, 7, 18, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 1L)]
    [InlineData("120", 120L)]
    [InlineData(" 120 ", 120L)]
    [InlineData("007", 7L)]
    [InlineData("86400", 86_400L)]
    [InlineData("31536000", 31_536_000L)]
    public void Delta_seconds(string value, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(value, Time.GetUtcNow()));
    }

    [Fact]
    public void A_future_imf_fixdate_is_measured_from_now()
    {
        Assert.Equal(
            TimeSpan.FromMinutes(10),
            RetryAfterHeader.Parse("Wed, 21 Oct 2015 07:28:00 GMT", Time.GetUtcNow()));
    }

    [Fact]
    public void The_same_date_gives_less_as_time_passes()
    {
        var time = new FakeTimeProvider(Time.GetUtcNow());
        const string header = "Wed, 21 Oct 2015 07:28:00 GMT";

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(TimeSpan.FromMinutes(6), RetryAfterHeader.Parse(header, time.GetUtcNow()));

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(header, time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(header, time.GetUtcNow()));
    }

    [Theory]
    [InlineData("Wed, 21 Oct 2015 07:00:00 GMT")]
    [InlineData("Thu, 01 Jan 1970 00:00:00 GMT")]
    public void A_past_date_gives_zero(string value)
    {
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(value, Time.GetUtcNow()));
    }

    [Theory]
    [InlineData("Wednesday, 21-Oct-15 07:28:00 GMT")] // obsolete RFC 850 form
    [InlineData("Wed Oct 21 07:28:00 2015")]          // obsolete asctime form
    [InlineData("Sun Nov  6 08:49:37 1994", true)]    // asctime, space-padded day (in the past)
    public void Obsolete_date_forms_are_read(string value, bool past = false)
    {
        Assert.Equal(
            past ? TimeSpan.Zero : TimeSpan.FromMinutes(10),
            RetryAfterHeader.Parse(value, Time.GetUtcNow()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1")]
    [InlineData("-120")]
    [InlineData("+120")]
    [InlineData("1.5")]
    [InlineData("120s")]
    [InlineData("12 0")]
    [InlineData("soon")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999")]
    [InlineData("Wed, 21 Oct 2015 07:28:00")]      // no zone
    [InlineData("Wed, 21 Oct 2015 07:28:00 PST")]  // not GMT
    [InlineData("Thu, 21 Oct 2015 07:28:00 GMT")]  // wrong day of the week
    [InlineData("Wed, 32 Oct 2015 07:28:00 GMT")]
    [InlineData("2015-10-21T07:28:00Z")]
    public void Garbage_gives_null(string? value)
    {
        Assert.Null(RetryAfterHeader.Parse(value, Time.GetUtcNow()));
    }
}
