using System.Text.Json;

namespace Chatport.Contract;

/// <summary>
/// Reads a conversation's <see cref="ConversationHead"/> straight from its JSON, checking every value against the
/// contract's types (<see cref="ContractShapes"/>, derived from the serializer's metadata) without building the
/// conversation. It only ever says "valid" for a document <see cref="ContractJson.Parse(ReadOnlySpan{byte})"/> accepts;
/// for anything else — invalid, of the older generation, or unusual (a repeated or escaped key) — it answers
/// <c>null</c>, and the full parse decides and words the error. A tenth of the time and of the memory of building it.
/// </summary>
public static class ContractScanner
{
    /// <summary>
    /// The head of a whole document that is one conversation (an inbound hook's body), when it is certainly a valid
    /// current-generation one; null when <see cref="ContractJson.ParseInbound"/> must decide (and word the error):
    /// not UTF-8, not JSON, not an object, anything after it, or anything <see cref="Scan"/> does not vouch for.
    /// </summary>
    public static ConversationHead? ScanDocument(ReadOnlySpan<byte> utf8Json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return null;
        }
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = ContractJson.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            var head = Scan(ref reader);
            // Past the end: nothing may follow the root (the reader throws on anything but whitespace).
            return head is not null && !reader.Read() ? head : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the object the reader is on (a <see cref="JsonTokenType.StartObject"/>) to its end. The caller has checked
    /// that the input is valid UTF-8 (<see cref="System.Text.Unicode.Utf8.IsValid"/>).
    /// </summary>
    /// <returns>The head of a valid current-generation conversation, or <c>null</c> when the full parse must decide.</returns>
    /// <exception cref="JsonException">The JSON itself is invalid.</exception>
    public static ConversationHead? Scan(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("The reader must be on the start of an object.", nameof(reader));
        }
        var depth = reader.CurrentDepth;
        var head = new Head();
        if (ReadObject(ref reader, ContractShapes.Conversation, ref head) && head.Channel is { Id.HasValue: true } && head.HasMessages)
        {
            return new ConversationHead { AccountId = head.AccountId, BeginAt = head.BeginAt, EndAt = head.EndAt, Channel = head.Channel };
        }
        while (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != depth)
        {
            reader.Read();
        }
        return null;
    }

    private struct Head
    {
        public Optional<long> AccountId;
        public Optional<long> BeginAt;
        public Optional<long> EndAt;
        public Channel? Channel;
        public bool HasMessages;
        public string? MessageType;
        public string? MessageFrom;
    }

    /// <summary>Reads an object's keys and values up to its end; false as soon as it is not certainly valid.</summary>
    private static bool ReadObject(ref Utf8JsonReader reader, ObjectShape shape, ref Head head)
    {
        ulong seen = 0;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }
            var i = shape.IndexOf(reader.ValueSpan, ref next);
            if (i < 0)
            {
                if (ConversationNormalizer.IsOlderGenerationKey(shape.Type, reader.ValueSpan))
                {
                    return false;
                }
                reader.Read();
                reader.Skip(); // extension data: any value
                continue;
            }
            var bit = 1UL << i;
            if ((seen & bit) != 0)
            {
                return false; // a repeated key: the serializer keeps the last, the full parse decides
            }
            seen |= bit;
            reader.Read();
            var property = shape.Properties[i];
            if (!ReadValue(ref reader, property.Value, property.Field, ref head))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ReadValue(ref Utf8JsonReader reader, ValueShape shape, HeadField field, ref Head head)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            // The channel and the messages must be there (ContractValidator): the full parse says so.
            return shape.Nullable && field is not (HeadField.Channel or HeadField.Messages);
        }
        switch (shape.Kind)
        {
            case ValueShapeKind.Int64:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number))
                {
                    return false;
                }
                Keep(field, number, ref head);
                return true;
            case ValueShapeKind.Int32:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _);
            case ValueShapeKind.Boolean:
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return false;
                }
                Keep(field, reader.TokenType == JsonTokenType.True, ref head);
                return true;
            case ValueShapeKind.String:
                return reader.TokenType == JsonTokenType.String && ReadString(ref reader, field, ref head);
            case ValueShapeKind.Any:
                reader.Skip();
                return true;
            case ValueShapeKind.Object:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }
                if (field == HeadField.Channel)
                {
                    head.Channel = new Channel();
                }
                return ReadObject(ref reader, shape.Object!, ref head);
            case ValueShapeKind.Array:
                return reader.TokenType == JsonTokenType.StartArray && ReadArray(ref reader, shape.Element!, field, ref head);
            case ValueShapeKind.Dictionary:
                return reader.TokenType == JsonTokenType.StartObject && ReadDictionary(ref reader, shape.Element!, ref head);
            default:
                return false;
        }
    }

    private static bool ReadArray(ref Utf8JsonReader reader, ValueShape element, HeadField field, ref Head head)
    {
        var messages = field == HeadField.Messages;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (messages)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false; // a null message: the full parse says so
                }
                head.MessageType = head.MessageFrom = null;
            }
            if (!ReadValue(ref reader, element, HeadField.None, ref head))
            {
                return false;
            }
            if (messages && ConversationNormalizer.IsOlderMessage(head.MessageType, head.MessageFrom))
            {
                return false;
            }
        }
        head.HasMessages |= messages;
        return true;
    }

    private static bool ReadDictionary(ref Utf8JsonReader reader, ValueShape element, ref Head head)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped && !Decodes(ref reader, out _))
            {
                return false;
            }
            reader.Read();
            if (!ReadValue(ref reader, element, HeadField.None, ref head))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ReadString(ref Utf8JsonReader reader, HeadField field, ref Head head)
    {
        if (field is not (HeadField.MessageType or HeadField.MessageFrom))
        {
            return !reader.ValueIsEscaped || Decodes(ref reader, out _);
        }
        if (!Decodes(ref reader, out var value))
        {
            return false;
        }
        if (field == HeadField.MessageType)
        {
            head.MessageType = value;
        }
        else
        {
            head.MessageFrom = value;
        }
        return true;
    }

    /// <summary>Whether a string decodes (an escaped lone surrogate does not), as the serializer decodes it.</summary>
    private static bool Decodes(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    private static void Keep(HeadField field, long value, ref Head head)
    {
        switch (field)
        {
            case HeadField.AccountId:
                head.AccountId = value;
                break;
            case HeadField.BeginAt:
                head.BeginAt = value;
                break;
            case HeadField.EndAt:
                head.EndAt = value;
                break;
            case HeadField.ChannelId:
                head.Channel!.Id = value;
                break;
        }
    }

    private static void Keep(HeadField field, bool value, ref Head head)
    {
        switch (field)
        {
            case HeadField.IsCompleted:
                head.Channel!.IsCompleted = value;
                break;
            case HeadField.IsMissed:
                head.Channel!.IsMissed = value;
                break;
            case HeadField.IsOffline:
                head.Channel!.IsOffline = value;
                break;
            case HeadField.IsDropped:
                head.Channel!.IsDropped = value;
                break;
        }
    }
}
