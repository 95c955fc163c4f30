using System.Globalization;
using System.Text;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// What a custom request header of a destination (a webhook's or an http kind's <c>headers</c>, an <c>auth</c> header)
/// may hold, checked when it is saved so that no delivery fails for it later: a name of RFC 9110 token characters, a
/// value of visible ASCII, spaces and tabs (RFC 9110, section 5.5; no control character, no NUL, nothing outside
/// ASCII — HttpClient refuses those at every send), and bounded sizes.
/// </summary>
public static class HeaderRules
{
    /// <summary>The most custom headers one destination may set.</summary>
    public const int MaxCount = 50;

    /// <summary>The longest header name, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The longest header value, in characters (8 KiB: what most servers take for a whole header line).</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Whether <paramref name="name"/> is an RFC 9110 token: letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    public static bool IsToken(string name) => name.Length > 0 && name.All(IsTokenChar);

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>
    /// Why <paramref name="value"/> cannot be sent as a header value, as the end of a sentence that starts with its
    /// subject ("The value of X-Team …"); null when it can.
    /// </summary>
    public static string? ValueProblem(string value)
    {
        if (value.Length > MaxValueLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxValueLength:N0} characters; it has {value.Length:N0}");
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n')
            {
                return "must not hold line breaks";
            }
            if ((c < ' ' && c != '\t') || c == '\u007f')
            {
                return string.Create(CultureInfo.InvariantCulture, $"must not hold control characters; it holds U+{(int)c:X4} at character {i + 1}");
            }
            if (c > '~')
            {
                var code = Rune.TryGetRuneAt(value, i, out var rune) ? rune.Value : c;
                return string.Create(CultureInfo.InvariantCulture,
                    $"may hold only ASCII letters, digits, punctuation and spaces (HTTP sends nothing else); it holds U+{code:X4} at character {i + 1}");
            }
        }
        return null;
    }
}
