using System.Text;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Reads a <see cref="ChatState"/> from UTF-8 JSON with <see cref="Utf8JsonReader"/>, accepting and refusing what
/// System.Text.Json's serializer does with the contract's options:
/// <list type="bullet">
/// <item>properties in any order; a repeated property replaces the earlier one (a repeated object is read anew);</item>
/// <item>names are matched exactly (case-sensitive) after unescaping; an unknown name goes to the object's
/// <c>Extra</c> (the last value for a repeated name, in the place of its first) or, on the state itself, is skipped;</item>
/// <item>strict types: strings only from strings, integers only from integer numbers in range, booleans only from
/// <c>true</c>/<c>false</c>; <c>null</c> wherever the property's type can hold it (a list element, a
/// variable, an optional value); the state's visitor and lists, missing or null, read as empty;</item>
/// <item>the reader refuses comments, trailing commas, depth beyond 64 and anything after the object.</item>
/// </list>
/// Every refusal is a <see cref="JsonException"/>.
/// </summary>
internal static class ChatStateReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static ChatState Read(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw new JsonException("The input does not contain any JSON tokens.");
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException("A chat state must be a JSON object, not null.");
            }

            var state = ReadState(ref reader);
            // Only whitespace may follow; the reader itself refuses any other byte.
            if (reader.Read())
            {
                throw new JsonException("A chat state must be a single JSON object.");
            }

            return state;
        }
        catch (InvalidOperationException e)
        {
            // The reader's complaints about the text (invalid UTF-8 in a string, an unpaired escaped surrogate).
            throw new JsonException(e.Message, e);
        }
    }

    private static ChatState ReadState(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "a chat state");
        // The visitor and lists are read first and the state made from them, so no empty ones are made only to be
        // replaced.
        Visitor? visitor = null;
        List<PagePath>? paths = null;
        List<Message>? messages = null;
        var rated = false;
        int? rating = null;
        string? ratingDesc = null;
        FinishReason? finishedBy = null;
        long? finishedAt = null;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Advance(ref reader);
            if (name.SequenceEqual("visitor"u8))
            {
                visitor = reader.TokenType == JsonTokenType.Null ? null : ReadVisitor(ref reader);
            }
            else if (name.SequenceEqual("paths"u8))
            {
                paths = ReadList(ref reader, "the paths", ReadPath);
            }
            else if (name.SequenceEqual("messages"u8))
            {
                messages = ReadList(ref reader, "the messages", ReadMessage);
            }
            else if (name.SequenceEqual("rated"u8))
            {
                rated = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw Mismatch(ref reader, "a boolean"),
                };
            }
            else if (name.SequenceEqual("rating"u8))
            {
                rating = ReadInt32OrNull(ref reader);
            }
            else if (name.SequenceEqual("ratingDesc"u8))
            {
                ratingDesc = ReadString(ref reader);
            }
            else if (name.SequenceEqual("finishedBy"u8))
            {
                finishedBy = ReadFinishReason(ref reader);
            }
            else if (name.SequenceEqual("finishedAt"u8))
            {
                finishedAt = ReadInt64OrNull(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        // A missing or null visitor or list is an empty one, as a new state has.
        return new ChatState(visitor ?? new(), paths ?? [], messages ?? [])
        {
            Rated = rated,
            Rating = rating,
            RatingDesc = ratingDesc,
            FinishedBy = finishedBy,
            FinishedAt = finishedAt,
        };
    }

    private static Visitor ReadVisitor(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "a visitor");
        var visitor = new Visitor();
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Advance(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                visitor.Id = ReadInt64OrNull(ref reader);
            }
            else if (name.SequenceEqual("name"u8))
            {
                visitor.Name = ReadString(ref reader);
            }
            else if (name.SequenceEqual("email"u8))
            {
                visitor.Email = ReadString(ref reader);
            }
            else if (name.SequenceEqual("note"u8))
            {
                visitor.Note = ReadString(ref reader);
            }
            else if (name.SequenceEqual("group"u8))
            {
                visitor.Group = ReadString(ref reader);
            }
            else if (name.SequenceEqual("ipAddress"u8))
            {
                visitor.IpAddress = ReadString(ref reader);
            }
            else if (name.SequenceEqual("city"u8))
            {
                visitor.City = ReadString(ref reader);
            }
            else if (name.SequenceEqual("countryCode"u8))
            {
                visitor.CountryCode = ReadString(ref reader);
            }
            else if (name.SequenceEqual("country"u8))
            {
                visitor.Country = ReadString(ref reader);
            }
            else if (name.SequenceEqual("userAgent"u8))
            {
                visitor.UserAgent = ReadString(ref reader);
            }
            else if (name.SequenceEqual("platform"u8))
            {
                visitor.Platform = ReadString(ref reader);
            }
            else if (name.SequenceEqual("referer"u8))
            {
                visitor.Referer = ReadString(ref reader);
            }
            else if (name.SequenceEqual("variables"u8))
            {
                visitor.Variables = ReadVariables(ref reader);
            }
            else
            {
                visitor.Extra = AddExtra(ref reader, visitor.Extra, name);
            }
        }

        return visitor;
    }

    private static Dictionary<string, Variable>? ReadVariables(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(ref reader, "the variables");
        var variables = new Dictionary<string, Variable>();
        while (NextProperty(ref reader))
        {
            // A dictionary key is read as a string, strictly (invalid UTF-8 is refused).
            var key = reader.GetString()!;
            Advance(ref reader);
            variables[key] = reader.TokenType == JsonTokenType.Null ? null! : ReadVariable(ref reader);
        }

        return variables;
    }

    private static Variable ReadVariable(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "a variable");
        var variable = new Variable();
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Advance(ref reader);
            if (name.SequenceEqual("label"u8))
            {
                variable.Label = ReadString(ref reader);
            }
            else if (name.SequenceEqual("value"u8))
            {
                variable.Value = JsonElement.ParseValue(ref reader);
            }
            else
            {
                variable.Extra = AddExtra(ref reader, variable.Extra, name);
            }
        }

        return variable;
    }

    /// <summary>Reads one element of a list (an object; a <c>null</c> element is kept by <see cref="ReadList"/>).</summary>
    private delegate T ReadElement<T>(ref Utf8JsonReader reader);

    /// <summary>A list of objects, or <c>null</c>; a <c>null</c> element stays a <c>null</c> element.</summary>
    private static List<T>? ReadList<T>(ref Utf8JsonReader reader, string what, ReadElement<T> element)
        where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(ref reader, what);
        var list = new List<T>();
        while (NextElement(ref reader))
        {
            list.Add(reader.TokenType == JsonTokenType.Null ? null! : element(ref reader));
        }

        return list;
    }

    private static PagePath ReadPath(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "a path");
        var path = new PagePath();
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Advance(ref reader);
            if (name.SequenceEqual("url"u8))
            {
                path.Url = ReadString(ref reader);
            }
            else if (name.SequenceEqual("title"u8))
            {
                path.Title = ReadString(ref reader);
            }
            else
            {
                path.Extra = AddExtra(ref reader, path.Extra, name);
            }
        }

        return path;
    }

    private static Message ReadMessage(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "a message");
        var message = new Message();
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Advance(ref reader);
            if (name.SequenceEqual("type"u8))
            {
                message.Type = ReadString(ref reader);
            }
            else if (name.SequenceEqual("name"u8))
            {
                message.Name = ReadString(ref reader);
            }
            else if (name.SequenceEqual("from"u8))
            {
                message.From = ReadString(ref reader);
            }
            else if (name.SequenceEqual("content"u8))
            {
                message.Content = ReadString(ref reader);
            }
            else if (name.SequenceEqual("sentAt"u8))
            {
                message.SentAt = ReadInt64(ref reader);
            }
            else if (name.SequenceEqual("triggeredBy"u8))
            {
                message.TriggeredBy = ReadString(ref reader);
            }
            else
            {
                message.Extra = AddExtra(ref reader, message.Extra, name);
            }
        }

        return message;
    }

    /// <summary>
    /// Adds the current value under <paramref name="name"/> to the extension data, made when first needed. The key
    /// is decoded leniently (invalid UTF-8 becomes U+FFFD), as the serializer decodes extension-data names.
    /// </summary>
    private static Dictionary<string, JsonElement> AddExtra(ref Utf8JsonReader reader, Dictionary<string, JsonElement>? extra, scoped ReadOnlySpan<byte> name)
    {
        extra ??= [];
        extra[Encoding.UTF8.GetString(name)] = JsonElement.ParseValue(ref reader);
        return extra;
    }

    private static FinishReason? ReadFinishReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            var text = reader.ValueSpan;
            if (text.SequenceEqual("VisitorClose"u8))
            {
                return FinishReason.VisitorClose;
            }

            if (text.SequenceEqual("AgentClose"u8))
            {
                return FinishReason.AgentClose;
            }

            if (text.SequenceEqual("SystemClose"u8))
            {
                return FinishReason.SystemClose;
            }

            if (text.SequenceEqual("Offline"u8))
            {
                return FinishReason.Offline;
            }

            if (text.SequenceEqual("Inactivity"u8))
            {
                return FinishReason.Inactivity;
            }
        }

        // Anything else (a number, another casing, a list of names, an invalid value) is the converter's to judge.
        return FinishReasonConverter.Instance.Read(ref reader, typeof(FinishReason), FinishReasonConverter.Options);
    }

    private static string? ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "a string"),
    };

    private static long ReadInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw Mismatch(ref reader, "an integer (Int64)");

    private static long? ReadInt64OrNull(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadInt64(ref reader);

    private static int? ReadInt32OrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)
            ? value
            : throw Mismatch(ref reader, "an integer (Int32)");
    }

    /// <summary>The current property's name as the unescaped UTF-8 bytes the names are matched against.</summary>
    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Unescape(reader.ValueSpan) : reader.ValueSpan;

    /// <summary>
    /// Unescapes a name the reader has checked (every escape is well formed), as the serializer does: the bytes
    /// between escapes are kept as they are, valid UTF-8 or not, and an escaped surrogate must be a high one
    /// followed at once by an escaped low one. Rare: only names with characters the writer escapes (a quote, a
    /// control character) or escapes written by hand.
    /// </summary>
    private static ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> escaped)
    {
        // Every escape is at least as long as the UTF-8 it stands for.
        var unescaped = new byte[escaped.Length];
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != (byte)'\\')
            {
                unescaped[length++] = escaped[i];
                continue;
            }

            i++;
            switch (escaped[i])
            {
                case (byte)'b':
                    unescaped[length++] = (byte)'\b';
                    break;
                case (byte)'f':
                    unescaped[length++] = (byte)'\f';
                    break;
                case (byte)'n':
                    unescaped[length++] = (byte)'\n';
                    break;
                case (byte)'r':
                    unescaped[length++] = (byte)'\r';
                    break;
                case (byte)'t':
                    unescaped[length++] = (byte)'\t';
                    break;
                case (byte)'u':
                    var scalar = Hex4(escaped.Slice(i + 1, 4));
                    i += 4;
                    if (scalar is >= 0xD800 and <= 0xDFFF)
                    {
                        if (scalar >= 0xDC00 || i + 6 >= escaped.Length || escaped[i + 1] != (byte)'\\' || escaped[i + 2] != (byte)'u')
                        {
                            throw new JsonException("A property name has an unpaired escaped surrogate.");
                        }

                        var low = Hex4(escaped.Slice(i + 3, 4));
                        if (low is < 0xDC00 or > 0xDFFF)
                        {
                            throw new JsonException("A property name has an unpaired escaped surrogate.");
                        }

                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    }

                    length += new Rune(scalar).EncodeToUtf8(unescaped.AsSpan(length));
                    break;
                default:
                    // '"', '\\' and '/' stand for themselves.
                    unescaped[length++] = escaped[i];
                    break;
            }
        }

        return unescaped.AsSpan(0, length);
    }

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var digit in hex)
        {
            value = (value << 4) | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        return value;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves to the next element of the current array; false at its end.</summary>
    private static bool NextElement(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        // With the whole input at hand the reader throws on truncated JSON; false cannot happen inside a value.
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends inside the chat state.");
        }
    }

    private static void ExpectObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mismatch(ref reader, $"an object ({what})");
        }
    }

    private static void ExpectArray(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mismatch(ref reader, $"an array ({what})");
        }
    }

    private static JsonException Mismatch(ref Utf8JsonReader reader, string expected) =>
        new($"Expected {expected}, found {reader.TokenType} at byte {reader.TokenStartIndex}.");
}
