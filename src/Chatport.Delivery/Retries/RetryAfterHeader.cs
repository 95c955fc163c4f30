using System.Globalization;

namespace Chatport.Delivery.Retries;

/// <summary>Reads the <c>Retry-After</c> response header (RFC 9110 §10.2.3).</summary>
public static class RetryAfterHeader
{
    private static readonly string[] HttpDateFormats =
    [
        // IMF-fixdate, the preferred form: "Sun, 06 Nov 1994 08:49:37 GMT".
        "r",
        // Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT".
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        // Obsolete asctime form: "Sun Nov  6 08:49:37 1994" (AllowInnerWhite absorbs the padding space).
        "ddd MMM d HH':'mm':'ss yyyy",
    ];

    /// <summary>
    /// Parses a <c>Retry-After</c> value into the wait it asks for, relative to <paramref name="now"/>.
    /// </summary>
    /// <param name="value">
    /// The header value: delta-seconds (<c>"120"</c>, digits only) or an HTTP-date — the IMF-fixdate
    /// <c>"Wed, 21 Oct 2015 07:28:00 GMT"</c>, or one of the obsolete RFC 850 and asctime forms. Surrounding white space is ignored.
    /// </param>
    /// <param name="now">The current time, against which a date is measured.</param>
    /// <returns>
    /// The wait; <see cref="TimeSpan.Zero"/> for a date not after <paramref name="now"/>; null when the value is absent,
    /// empty, negative, not a valid form, or too large to represent.
    /// </returns>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (char.IsAsciiDigit(text[0]))
        {
            return ParseSeconds(text);
        }

        if (DateTimeOffset.TryParseExact(
                text,
                HttpDateFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan? ParseSeconds(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerSecond)
        {
            return null;
        }

        return TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond);
    }
}
