using System.Text;
using System.Text.RegularExpressions;

namespace Chatport.Redaction;

/// <summary>
/// Masks emails, phone numbers, payment cards and IBANs in a message's text. A card is masked only when its digits
/// pass the Luhn check and an IBAN only when its mod-97 checksum holds, so order numbers and references survive; a
/// phone number needs the look of one (a leading <c>+</c>, <c>00</c> or <c>(</c>, or digits in separated groups),
/// so a bare run of digits is left alone.
/// </summary>
public static partial class ContentRedactor
{
    public static string Redact(string text, IReadOnlyCollection<string> kinds)
    {
        if (kinds.Count == 0 || text.Length == 0)
        {
            return text;
        }
        if (kinds.Contains(Redaction.Email))
        {
            text = EmailPattern().Replace(text, Redaction.Mask(Redaction.Email));
        }
        if (kinds.Contains(Redaction.Iban))
        {
            text = IbanPattern().Replace(text, m => MaskIban(m.Value));
        }
        if (kinds.Contains(Redaction.Card))
        {
            text = CardPattern().Replace(text, m => IsCard(m.Value) ? Redaction.Mask(Redaction.Card) : m.Value);
        }
        if (kinds.Contains(Redaction.Phone))
        {
            text = PhonePattern().Replace(text, m => IsPhone(m.Value) ? Redaction.Mask(Redaction.Phone) : m.Value);
        }
        return text;
    }

    /// <summary>13 to 19 digits, passing the Luhn check.</summary>
    public static bool IsCard(string candidate)
    {
        var digits = Digits(candidate);
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>A country code, two check digits and 11 to 30 letters or digits, whose ISO 13616 mod-97 is 1.</summary>
    public static bool IsIban(string candidate)
    {
        var compact = candidate.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (compact.Length is < 15 or > 34)
        {
            return false;
        }
        var rearranged = compact[4..] + compact[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var value = c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }

    /// <summary>The match with its longest valid IBAN prefix masked (a match may run on into the next word).</summary>
    private static string MaskIban(string match)
    {
        var end = match.Length;
        while (end >= 15)
        {
            if (IsIban(match[..end]))
            {
                return Redaction.Mask(Redaction.Iban) + match[end..];
            }
            end = match.LastIndexOf(' ', end - 1); // one word shorter; -1 ends the loop
        }
        return match;
    }

    private static bool IsPhone(string candidate)
    {
        if (DatePattern().IsMatch(candidate))
        {
            return false;
        }
        var digits = Digits(candidate).Length;
        if (digits is < 8 or > 15 || IsCard(candidate))
        {
            return false;
        }
        var trimmed = candidate.TrimStart();
        return trimmed.StartsWith('+') || trimmed.StartsWith('(') || trimmed.StartsWith("00", StringComparison.Ordinal)
            || trimmed.Any(c => c is ' ' or '-' or '.' or '/'); // grouped like a number people dial
    }

    private static string Digits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![\d])\d(?:[ \-]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"^\s*(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(?<![\w+])(?:\+|00|\()?\d[\d \-./()]{6,}\d(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
