using System.Globalization;

namespace Chatport.Application;

/// <summary>
/// A time in a query string or a form: epoch milliseconds, or an ISO 8601 date/time (UTC when it names no offset, as a
/// browser's <c>datetime-local</c> field sends it). The conversation list and the delivery log read their
/// <c>from</c>/<c>to</c> with it.
/// </summary>
public static class TimeParameter
{
    /// <summary>What a person is told when a time cannot be read.</summary>
    public static string Invalid(string name) => $"{name} must be epoch milliseconds or an ISO 8601 time.";

    public static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        var parsed = TryParse(text, out long? epochMs);
        time = epochMs is { } ms && ms is >= -62135596800000 and <= 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return parsed && (epochMs is null || time is not null);
    }

    public static bool TryParse(string? text, out long? epochMs)
    {
        epochMs = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            epochMs = ms;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            epochMs = time.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }
}
