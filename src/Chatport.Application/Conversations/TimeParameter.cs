using System.Globalization;

namespace Chatport.Application.Conversations;

/// <summary>A time in a query string: epoch milliseconds, or an ISO 8601 date/time.</summary>
public static class TimeParameter
{
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
