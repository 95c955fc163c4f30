using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Chatport.Delivery.Safety;

/// <summary>
/// Recognizes a URL host that is an IP address in any spelling the C library would dial:
/// IPv6 literals (with or without brackets) and IPv4 in the inet_aton forms — one to four parts,
/// each decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes —
/// e.g. <c>127.1</c>, <c>2130706433</c>, <c>0x7f.1</c>, <c>0177.0.0.1</c>, <c>0x7f000001</c>.
/// A single trailing dot (<c>127.0.0.1.</c>) is ignored, as resolvers do.
/// </summary>
/// <remarks>
/// .NET's <see cref="Uri"/> already canonicalizes the inet_aton forms to dotted quads
/// (<c>new Uri("http://2130706433/").Host == "127.0.0.1"</c>) but leaves <c>127.0.0.1.</c> as a DNS name;
/// this class makes the guard independent of that.
/// </remarks>
internal static class HostSpelling
{
    /// <summary>Parses <paramref name="host"/> as an IP literal in any spelling; false for a DNS name.</summary>
    public static bool TryParseAddress(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(host);
        address = null;

        var text = host.AsSpan().Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        if (text.Contains(':'))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        return TryParseIPv4(text, out address);
    }

    /// <summary>Parses an IPv4 address with inet_aton rules (plus one optional trailing dot).</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length > 1 && text[^1] == '.')
        {
            text = text[..^1];
        }

        Span<uint> parts = stackalloc uint[4];
        var count = 0;
        foreach (var range in text.Split('.'))
        {
            if (count == 4 || !TryParsePart(text[range], out parts[count]))
            {
                return false;
            }

            count++;
        }

        // The parts before the last are single bytes; the last fills the remaining 4 - (count - 1) bytes.
        uint value = 0;
        for (var i = 0; i < count - 1; i++)
        {
            if (parts[i] > 0xFF)
            {
                return false;
            }

            value |= parts[i] << (8 * (3 - i));
        }

        var last = parts[count - 1];
        var lastBytes = 5 - count;
        if (lastBytes < 4 && last >> (8 * lastBytes) != 0)
        {
            return false;
        }

        value |= last;
        address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out uint value)
    {
        value = 0;
        if (part.IsEmpty)
        {
            return false;
        }

        uint radix = 10;
        if (part.Length > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X'))
        {
            radix = 16;
            part = part[2..]; // "0x" alone is 0, as in inet_aton
        }
        else if (part[0] == '0')
        {
            radix = 8;
        }

        ulong accumulated = 0;
        foreach (var c in part)
        {
            var digit = DigitValue(c);
            if (digit >= radix)
            {
                return false;
            }

            accumulated = (accumulated * radix) + digit;
            if (accumulated > uint.MaxValue)
            {
                return false;
            }
        }

        value = (uint)accumulated;
        return true;
    }

    private static uint DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => (uint)(c - '0'),
        >= 'a' and <= 'f' => (uint)(c - 'a' + 10),
        >= 'A' and <= 'F' => (uint)(c - 'A' + 10),
        _ => uint.MaxValue,
    };
}
