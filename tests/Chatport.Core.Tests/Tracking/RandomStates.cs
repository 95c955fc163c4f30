using System.Globalization;
using System.Text;
using System.Text.Json;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

/// <summary>
/// Random chat states and random re-spellings and damage of their JSON, from a seeded <see cref="Random"/> so a
/// failure repeats. Every field is absent, null or valued; strings mix characters that need escaping.
/// </summary>
internal static class RandomStates
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "'", "+", "`", "\u0000", "\u0001", "\b", "\t", "\n", "\r",
        "\u001f", "\u007f", "\u0080", "\u00a0", "é", "ž", "ß", "中", "文", "😀", "👍🏽", "\u2028", "\u2029", "\ufeff", "\ufffd",
        "\u0301", "hello", "agent:3", "visitor:v1", "https://a.example/?a=1&b=2",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "1.5", "1.50", "-0.0", "1e400", "-1.5E-7", "6.02e+23", "123456789012345678901234567890",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "0.1", "2147483648",
    ];

    private static readonly string[] KnownNames =
    [
        "name", "Name", "id", "url", "title", "type", "sentAt", "content", "label", "value", "variables", "extra", "visitor", "rated",
    ];

    public static ChatState State(Random random) => new()
    {
        Visitor = random.Next(25) == 0 ? null! : Visitor(random),
        Paths = random.Next(25) == 0 ? null! : List(random, 4, Path),
        Messages = random.Next(25) == 0 ? null! : List(random, 6, Message),
        Rated = random.Next(2) == 0,
        Rating = random.Next(3) == 0 ? null : Int(random),
        RatingDesc = random.Next(3) == 0 ? null : Text(random),
        FinishedBy = random.Next(3) switch
        {
            0 => null,
            1 when random.Next(8) == 0 => (FinishReason)random.Next(-3, 100),
            _ => (FinishReason)random.Next(5),
        },
        FinishedAt = random.Next(3) == 0 ? null : Long(random),
    };

    private static List<T> List<T>(Random random, int max, Func<Random, T> item)
    {
        var list = new List<T>();
        for (var count = random.Next(max + 1); count > 0; count--)
        {
            list.Add(random.Next(20) == 0 ? default! : item(random));
        }

        return list;
    }

    private static Visitor Visitor(Random random) => new()
    {
        Id = random.Next(3) switch { 0 => default, 1 => new((long?)null), _ => new(Long(random)) },
        Name = OptionalText(random),
        Email = OptionalText(random),
        Note = OptionalText(random),
        Group = OptionalText(random),
        IpAddress = OptionalText(random),
        City = OptionalText(random),
        CountryCode = OptionalText(random),
        Country = OptionalText(random),
        UserAgent = OptionalText(random),
        Platform = OptionalText(random),
        Referer = OptionalText(random),
        Variables = random.Next(3) switch { 0 => default, 1 => new((Dictionary<string, Variable>?)null), _ => new(Variables(random)) },
        Extra = Extra(random),
    };

    private static Dictionary<string, Variable> Variables(Random random)
    {
        var variables = new Dictionary<string, Variable>();
        for (var count = random.Next(4); count > 0; count--)
        {
            variables[Key(random)] = random.Next(10) == 0 ? null! : new Variable
            {
                Label = OptionalText(random),
                Value = random.Next(4) == 0 ? default : new(Element(random)),
                Extra = Extra(random),
            };
        }

        return variables;
    }

    private static PagePath Path(Random random) => new()
    {
        Url = OptionalText(random),
        Title = OptionalText(random),
        Extra = Extra(random),
    };

    private static Message Message(Random random) => new()
    {
        Type = OptionalText(random),
        Name = OptionalText(random),
        From = OptionalText(random),
        Content = OptionalText(random),
        SentAt = random.Next(4) == 0 ? default : new(Long(random)),
        TriggeredBy = OptionalText(random),
        Extra = Extra(random),
    };

    private static Dictionary<string, JsonElement>? Extra(Random random)
    {
        if (random.Next(2) == 0)
        {
            return null;
        }

        var extra = new Dictionary<string, JsonElement>();
        for (var count = random.Next(4); count > 0; count--)
        {
            extra[Key(random)] = Element(random);
        }

        return extra;
    }

    private static string Key(Random random) => random.Next(3) == 0 ? KnownNames[random.Next(KnownNames.Length)] : Text(random);

    private static Optional<string?> OptionalText(Random random) => random.Next(3) switch
    {
        0 => default,
        1 => new((string?)null),
        _ => new(Text(random)),
    };

    private static string Text(Random random)
    {
        var text = new StringBuilder();
        for (var count = random.Next(8); count > 0; count--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        // Rarely an unpaired surrogate, which only code (not parsed JSON) can put in a state.
        if (random.Next(600) == 0)
        {
            text.Insert(random.Next(text.Length + 1), random.Next(2) == 0 ? '\ud83d' : '\ude00');
        }

        return text.ToString();
    }

    private static long Long(Random random) => random.Next(6) switch
    {
        0 => random.Next(-5, 5),
        1 => long.MaxValue,
        2 => long.MinValue,
        3 => 1427470430000 + random.Next(),
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    private static int Int(Random random) => random.Next(5) switch
    {
        0 => int.MaxValue,
        1 => int.MinValue,
        2 => random.Next(int.MinValue, int.MaxValue),
        _ => random.Next(0, 6),
    };

    /// <summary>A random JSON value, parsed from text whose strings are escaped at random.</summary>
    private static JsonElement Element(Random random)
    {
        var json = new StringBuilder();
        WriteValue(random, json, 0);
        return JsonElement.Parse(json.ToString());
    }

    private static void WriteValue(Random random, StringBuilder json, int depth)
    {
        switch (random.Next(depth < 3 ? 8 : 6))
        {
            case 0:
                WriteString(random, json, Text(random));
                break;
            case 1:
                json.Append(random.Next(3) == 0 ? random.NextDouble().ToString("R", CultureInfo.InvariantCulture) : Numbers[random.Next(Numbers.Length)]);
                break;
            case 2:
                json.Append("true");
                break;
            case 3:
                json.Append("false");
                break;
            case 4:
                json.Append("null");
                break;
            case 5:
                json.Append(random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture));
                break;
            case 6:
                json.Append('[');
                for (var i = random.Next(4); i > 0; i--)
                {
                    WriteValue(random, json, depth + 1);
                    json.Append(i > 1 ? "," : "");
                }

                json.Append(']');
                break;
            default:
                json.Append('{');
                for (var i = random.Next(4); i > 0; i--)
                {
                    WriteString(random, json, Key(random));
                    json.Append(':');
                    WriteValue(random, json, depth + 1);
                    json.Append(i > 1 ? "," : "");
                }

                json.Append('}');
                break;
        }
    }

    /// <summary>
    /// A JSON string: what must be escaped is, an unpaired surrogate is escaped (the text stays valid UTF-8),
    /// anything else is escaped or not at random (a surrogate pair as a whole).
    /// </summary>
    private static void WriteString(Random random, StringBuilder json, string value)
    {
        json.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (c == '"')
            {
                json.Append("\\\"");
            }
            else if (c == '\\')
            {
                json.Append("\\\\");
            }
            else if (c == '/' && random.Next(2) == 0)
            {
                json.Append("\\/");
            }
            else if (c == '\n' && random.Next(2) == 0)
            {
                json.Append("\\n");
            }
            else if (c < ' ' || (char.IsSurrogate(c) && !pair) || random.Next(6) == 0)
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                if (pair)
                {
                    json.Append(CultureInfo.InvariantCulture, $"\\u{(int)value[++i]:x4}");
                }
            }
            else
            {
                json.Append(c);
                if (pair)
                {
                    json.Append(value[++i]);
                }
            }
        }

        json.Append('"');
    }

    /// <summary>
    /// The same JSON spelled differently: properties in random order, names and strings escaped at random,
    /// whitespace between tokens, and some properties given twice (first with its own value or another
    /// property's, which the later one must replace, or which is refused for its type).
    /// </summary>
    public static byte[] Rewrite(Random random, byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var json = new StringBuilder();
        Rewrite(random, json, document.RootElement);
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static void Rewrite(Random random, StringBuilder json, JsonElement element)
    {
        Space(random, json);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().ToList();
                // Property order is free, but a repeated name's last value wins: reorder only distinct names.
                var shuffled = properties.DistinctBy(p => p.Name).Count() == properties.Count
                    ? properties.OrderBy(_ => random.Next()).ToList()
                    : properties;
                json.Append('{');
                for (var i = 0; i < shuffled.Count; i++)
                {
                    if (random.Next(12) == 0)
                    {
                        // An earlier value under the same name, replaced by the real one that follows: mostly its
                        // own, else another property's (which may be refused for its type).
                        WriteString(random, json, shuffled[i].Name);
                        json.Append(':');
                        Rewrite(random, json, shuffled[random.Next(4) == 0 ? random.Next(shuffled.Count) : i].Value);
                        json.Append(',');
                    }

                    WriteString(random, json, shuffled[i].Name);
                    Space(random, json);
                    json.Append(':');
                    Rewrite(random, json, shuffled[i].Value);
                    json.Append(i < shuffled.Count - 1 ? "," : "");
                }

                json.Append('}');
                break;
            case JsonValueKind.Array:
                json.Append('[');
                var items = element.EnumerateArray().ToList();
                for (var i = 0; i < items.Count; i++)
                {
                    Rewrite(random, json, items[i]);
                    json.Append(i < items.Count - 1 ? "," : "");
                }

                json.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(random, json, element.GetString()!);
                break;
            default:
                json.Append(element.GetRawText());
                break;
        }

        Space(random, json);
    }

    private static void Space(Random random, StringBuilder json)
    {
        if (random.Next(10) == 0)
        {
            json.Append(" \t\r\n"[random.Next(4)]);
        }
    }

    private static readonly byte[] Interesting = "{}[],:\"\\0123456789-.eEntfrulax /*'"u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xED }).ToArray();

    /// <summary>The JSON with one to three random byte-level changes: removed, inserted, replaced, repeated or cut.</summary>
    public static byte[] Damage(Random random, byte[] utf8Json)
    {
        var bytes = new List<byte>(utf8Json);
        for (var changes = random.Next(1, 4); changes > 0 && bytes.Count > 0; changes--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3:
                    var length = Math.Min(random.Next(1, 12), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var other = random.Next(bytes.Count);
                    (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                    break;
            }
        }

        return [.. bytes];
    }
}
