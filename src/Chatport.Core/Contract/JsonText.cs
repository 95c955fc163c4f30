using System.Runtime.InteropServices;
using System.Text.Json;

namespace Chatport.Contract;

/// <summary>
/// Whether the strings of a parsed JSON value are text. A <see cref="JsonDocument"/> parses strings that are not —
/// bytes that are not UTF-8, an escaped lone surrogate such as <c>"\ud800"</c> — and only reading them (as a string, a
/// comparison, a key, written out again) throws. This finds the first one and names where it is, in plain words.
/// </summary>
public static class JsonText
{
    /// <summary>
    /// Whether a body may hold a string that is not text: bytes that are not UTF-8, or a <c>\uD…</c> escape (a
    /// surrogate, paired or not). Two vectorized passes; when it says no, every string of the body decodes.
    /// </summary>
    public static bool MayHoldUndecodable(ReadOnlySpan<byte> utf8Json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return true;
        }
        var rest = utf8Json;
        while (true)
        {
            var at = rest.IndexOf("\\u"u8);
            if (at < 0 || at + 2 >= rest.Length)
            {
                return false;
            }
            if ((rest[at + 2] | 0x20) == 'd')
            {
                return true;
            }
            rest = rest[(at + 2)..];
        }
    }

    /// <summary>
    /// Why the first string or key of <paramref name="value"/> that is not text is not, naming it by its JSONPath
    /// under <paramref name="path"/> (<c>$.message.content is not text: …</c>); null when every one is.
    /// </summary>
    public static string? FirstUndecodable(JsonElement value, string path = "$")
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(value) ? null : $"{path} is not text: {Why(JsonMarshal.GetRawUtf8Value(value))}";
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"A key of {path} is not text: {Why(JsonMarshal.GetRawUtf8PropertyName(property))}";
                    }
                    if (FirstUndecodable(property.Value, Member(path, name)) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    if (FirstUndecodable(element, $"{path}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The JSONPath of a member: dot notation for plain names, bracket notation otherwise.</summary>
    public static string Member(string path, string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        for (var i = 1; plain && i < name.Length; i++)
        {
            plain = char.IsAsciiLetterOrDigit(name[i]) || name[i] == '_';
        }

        return plain
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    private static bool Decodes(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Why(ReadOnlySpan<byte> raw) => System.Text.Unicode.Utf8.IsValid(raw)
        ? "it holds an escaped lone surrogate (such as \\ud800: half of a pair, without the other half), which is not a character."
        : "it holds bytes that are not UTF-8.";
}
