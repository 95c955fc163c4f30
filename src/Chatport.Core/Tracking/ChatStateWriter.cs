using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Writes a <see cref="ChatState"/> as UTF-8 JSON with <see cref="Utf8JsonWriter"/>, byte for byte as
/// System.Text.Json's serializer writes it with the contract's options (camelCase names in declaration order,
/// default values not written, the finish reason by name):
/// <list type="bullet">
/// <item>an absent <see cref="Optional{T}"/> is not written, a present <c>null</c> is written as <c>null</c>;</item>
/// <item>the state's own default values (<c>rated: false</c>, a <c>null</c> rating, description, finish or time,
/// a <c>null</c> visitor or list) are not written;</item>
/// <item>each object's extension data (<c>Extra</c>) comes after its properties, keys as they are;</item>
/// <item><see cref="JsonElement"/> values are written by <see cref="JsonElement.WriteTo"/>, so strings inside
/// them are re-escaped by this writer's encoder;</item>
/// <item>strings are escaped with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>.</item>
/// </list>
/// </summary>
internal static class ChatStateWriter
{
    /// <summary>The options System.Text.Json's serializer gives its writer for the state's serializer options.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 64,
        SkipValidation = true,
    };

    /// <summary>A buffer kept for the thread's next state is at most this large, so one huge chat is not kept alive.</summary>
    private const int MaxKeptBufferBytes = 64 * 1024;

    /// <summary>
    /// The <see cref="Exception.Source"/> System.Text.Json gives the writer's and reader's errors about invalid
    /// text (an unpaired surrogate in a property name, say); its serializer turns them into <see cref="JsonException"/>.
    /// </summary>
    internal const string RethrowableSource = "System.Text.Json.Rethrowable";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Write(ChatState state)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(4096);
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        // Taken for the duration of the call, so a nested or failed call never sees a half-written buffer.
        t_buffer = null;
        t_writer = null;
        try
        {
            WriteState(writer, state);
            writer.Flush();
            var bytes = buffer.WrittenSpan.ToArray();
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= MaxKeptBufferBytes)
            {
                t_buffer = buffer;
                t_writer = writer;
            }

            return bytes;
        }
        catch (InvalidOperationException e) when (e.Source == RethrowableSource)
        {
            throw new JsonException("The object or value could not be serialized.", e);
        }
    }

    private static void WriteState(Utf8JsonWriter writer, ChatState state)
    {
        writer.WriteStartObject();
        if (state.Visitor is { } visitor)
        {
            writer.WritePropertyName(Names.Visitor);
            WriteVisitor(writer, visitor);
        }

        if (state.Paths is { } paths)
        {
            WriteList(writer, Names.Paths, paths, WritePath);
        }

        if (state.Messages is { } messages)
        {
            WriteList(writer, Names.Messages, messages, WriteMessage);
        }

        if (state.Rated)
        {
            writer.WriteBoolean(Names.Rated, true);
        }

        if (state.Rating is { } rating)
        {
            writer.WriteNumber(Names.Rating, rating);
        }

        if (state.RatingDesc is { } ratingDesc)
        {
            writer.WriteString(Names.RatingDesc, ratingDesc);
        }

        if (state.FinishedBy is { } finishedBy)
        {
            writer.WritePropertyName(Names.FinishedBy);
            WriteFinishReason(writer, finishedBy);
        }

        if (state.FinishedAt is { } finishedAt)
        {
            writer.WriteNumber(Names.FinishedAt, finishedAt);
        }

        writer.WriteEndObject();
    }

    private static void WriteVisitor(Utf8JsonWriter writer, Visitor visitor)
    {
        writer.WriteStartObject();
        WriteOptional(writer, Names.Id, visitor.Id);
        WriteOptional(writer, Names.Name, visitor.Name);
        WriteOptional(writer, Names.Email, visitor.Email);
        WriteOptional(writer, Names.Note, visitor.Note);
        WriteOptional(writer, Names.Group, visitor.Group);
        WriteOptional(writer, Names.IpAddress, visitor.IpAddress);
        WriteOptional(writer, Names.City, visitor.City);
        WriteOptional(writer, Names.CountryCode, visitor.CountryCode);
        WriteOptional(writer, Names.Country, visitor.Country);
        WriteOptional(writer, Names.UserAgent, visitor.UserAgent);
        WriteOptional(writer, Names.Platform, visitor.Platform);
        WriteOptional(writer, Names.Referer, visitor.Referer);
        if (visitor.Variables.HasValue)
        {
            writer.WritePropertyName(Names.Variables);
            if (visitor.Variables.Value is { } variables)
            {
                writer.WriteStartObject();
                foreach (var (key, variable) in variables)
                {
                    writer.WritePropertyName(key);
                    if (variable is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        WriteVariable(writer, variable);
                    }
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        WriteExtra(writer, visitor.Extra);
        writer.WriteEndObject();
    }

    private static void WriteVariable(Utf8JsonWriter writer, Variable variable)
    {
        writer.WriteStartObject();
        WriteOptional(writer, Names.Label, variable.Label);
        if (variable.Value.HasValue)
        {
            writer.WritePropertyName(Names.Value);
            variable.Value.Value.WriteTo(writer);
        }

        WriteExtra(writer, variable.Extra);
        writer.WriteEndObject();
    }

    /// <summary>A list of objects under <paramref name="name"/>; a <c>null</c> element is written as <c>null</c>.</summary>
    private static void WriteList<T>(Utf8JsonWriter writer, JsonEncodedText name, List<T> list, Action<Utf8JsonWriter, T> element)
        where T : class
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { } item)
            {
                element(writer, item);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePath(Utf8JsonWriter writer, PagePath path)
    {
        writer.WriteStartObject();
        WriteOptional(writer, Names.Url, path.Url);
        WriteOptional(writer, Names.Title, path.Title);
        WriteExtra(writer, path.Extra);
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, Message message)
    {
        writer.WriteStartObject();
        WriteOptional(writer, Names.Type, message.Type);
        WriteOptional(writer, Names.Name, message.Name);
        WriteOptional(writer, Names.From, message.From);
        WriteOptional(writer, Names.Content, message.Content);
        if (message.SentAt.HasValue)
        {
            writer.WriteNumber(Names.SentAt, message.SentAt.Value);
        }

        WriteOptional(writer, Names.TriggeredBy, message.TriggeredBy);
        WriteExtra(writer, message.Extra);
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, Optional<string?> value)
    {
        if (value.HasValue)
        {
            // A null string is written as the literal null.
            writer.WriteString(name, value.Value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, Optional<long?> value)
    {
        if (!value.HasValue)
        {
            return;
        }

        if (value.Value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteExtra(Utf8JsonWriter writer, Dictionary<string, JsonElement>? extra)
    {
        if (extra is null)
        {
            return;
        }

        foreach (var (key, value) in extra)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }
    }

    private static void WriteFinishReason(Utf8JsonWriter writer, FinishReason reason)
    {
        switch (reason)
        {
            case FinishReason.VisitorClose:
                writer.WriteStringValue(Names.VisitorClose);
                break;
            case FinishReason.AgentClose:
                writer.WriteStringValue(Names.AgentClose);
                break;
            case FinishReason.SystemClose:
                writer.WriteStringValue(Names.SystemClose);
                break;
            case FinishReason.Offline:
                writer.WriteStringValue(Names.Offline);
                break;
            case FinishReason.Inactivity:
                writer.WriteStringValue(Names.Inactivity);
                break;
            default:
                // A value without a name (only made in code): the string enum converter writes it as a number.
                FinishReasonConverter.Instance.Write(writer, reason, FinishReasonConverter.Options);
                break;
        }
    }

    /// <summary>The property names and enum names, encoded once.</summary>
    internal static class Names
    {
        public static readonly JsonEncodedText Visitor = JsonEncodedText.Encode("visitor"u8);
        public static readonly JsonEncodedText Paths = JsonEncodedText.Encode("paths"u8);
        public static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages"u8);
        public static readonly JsonEncodedText Rated = JsonEncodedText.Encode("rated"u8);
        public static readonly JsonEncodedText Rating = JsonEncodedText.Encode("rating"u8);
        public static readonly JsonEncodedText RatingDesc = JsonEncodedText.Encode("ratingDesc"u8);
        public static readonly JsonEncodedText FinishedBy = JsonEncodedText.Encode("finishedBy"u8);
        public static readonly JsonEncodedText FinishedAt = JsonEncodedText.Encode("finishedAt"u8);

        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id"u8);
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name"u8);
        public static readonly JsonEncodedText Email = JsonEncodedText.Encode("email"u8);
        public static readonly JsonEncodedText Note = JsonEncodedText.Encode("note"u8);
        public static readonly JsonEncodedText Group = JsonEncodedText.Encode("group"u8);
        public static readonly JsonEncodedText IpAddress = JsonEncodedText.Encode("ipAddress"u8);
        public static readonly JsonEncodedText City = JsonEncodedText.Encode("city"u8);
        public static readonly JsonEncodedText CountryCode = JsonEncodedText.Encode("countryCode"u8);
        public static readonly JsonEncodedText Country = JsonEncodedText.Encode("country"u8);
        public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent"u8);
        public static readonly JsonEncodedText Platform = JsonEncodedText.Encode("platform"u8);
        public static readonly JsonEncodedText Referer = JsonEncodedText.Encode("referer"u8);
        public static readonly JsonEncodedText Variables = JsonEncodedText.Encode("variables"u8);

        public static readonly JsonEncodedText Label = JsonEncodedText.Encode("label"u8);
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value"u8);

        public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url"u8);
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title"u8);

        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type"u8);
        public static readonly JsonEncodedText From = JsonEncodedText.Encode("from"u8);
        public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content"u8);
        public static readonly JsonEncodedText SentAt = JsonEncodedText.Encode("sentAt"u8);
        public static readonly JsonEncodedText TriggeredBy = JsonEncodedText.Encode("triggeredBy"u8);

        public static readonly JsonEncodedText VisitorClose = JsonEncodedText.Encode("VisitorClose"u8);
        public static readonly JsonEncodedText AgentClose = JsonEncodedText.Encode("AgentClose"u8);
        public static readonly JsonEncodedText SystemClose = JsonEncodedText.Encode("SystemClose"u8);
        public static readonly JsonEncodedText Offline = JsonEncodedText.Encode("Offline"u8);
        public static readonly JsonEncodedText Inactivity = JsonEncodedText.Encode("Inactivity"u8);
    }
}

/// <summary>
/// System.Text.Json's string enum converter for <see cref="FinishReason"/> (names as declared, numbers allowed), for
/// what the codec does not do itself: writing a value without a name, and reading anything but an exact name (a
/// number, another casing, a numeric string, a comma-separated list). Made on first such use.
/// </summary>
internal static class FinishReasonConverter
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly System.Text.Json.Serialization.JsonConverter<FinishReason> Instance =
        (System.Text.Json.Serialization.JsonConverter<FinishReason>)new System.Text.Json.Serialization.JsonStringEnumConverter<FinishReason>()
            .CreateConverter(typeof(FinishReason), Options);
}
