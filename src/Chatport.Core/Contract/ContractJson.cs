using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>Reading and writing seed-format conversations.</summary>
public static class ContractJson
{
    /// <summary>
    /// The contract's options: the generated context, with non-ASCII text written as UTF-8 rather than
    /// <c>\u</c> escapes (the body is always sent as <c>application/json</c>, never embedded in HTML).
    /// </summary>
    public static ContractJsonContext Context { get; } = new(new JsonSerializerOptions(ContractJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static JsonTypeInfo<Conversation> Conversation => Context.Conversation;

    /// <summary>How a body that arrives is read: as <see cref="Context"/> reads it, refusing a repeated identity key (<see cref="IdentityKeys"/>).</summary>
    private static readonly JsonTypeInfo<Conversation> Inbound = (JsonTypeInfo<Conversation>)new JsonSerializerOptions(Context.Options)
    {
        TypeInfoResolver = ((IJsonTypeInfoResolver)Context).WithAddedModifier(IdentityKeys.RefuseRepeats),
    }.GetTypeInfo(typeof(Conversation));

    /// <summary>
    /// Parses one conversation and checks the shape the contract requires.
    /// </summary>
    /// <exception cref="ContractException">The body is not JSON, not an object, or not a seed-format conversation.</exception>
    public static Conversation Parse(ReadOnlySpan<byte> utf8Json)
    {
        CheckSyntax(utf8Json);
        return ParseShape(utf8Json);
    }

    /// <summary>
    /// Parses one conversation from JSON already read once by a <see cref="JsonDocument"/> (an element of an import
    /// array): its syntax, UTF-8 and depth are known to be fine, so the pre-pass of <see cref="Parse(ReadOnlySpan{byte})"/>
    /// is skipped; only whether it is an object is checked again.
    /// </summary>
    /// <exception cref="ContractException">It is not an object, or not a seed-format conversation.</exception>
    public static Conversation ParseWellFormed(ReadOnlySpan<byte> utf8Json)
    {
        CheckObject(utf8Json);
        return ParseShape(utf8Json);
    }

    private static void CheckObject(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty || utf8Json[0] != (byte)'{')
        {
            throw new ContractException(utf8Json.Length > 0 && utf8Json[0] == (byte)'['
                ? "The body must be one conversation (a JSON object), not an array."
                : "The body must be one conversation (a JSON object).", "$");
        }
    }

    /// <summary>
    /// Parses a conversation that arrives (an inbound hook's body, an imported one) as <see cref="Parse(ReadOnlySpan{byte})"/>
    /// does — or, <paramref name="wellFormed"/>, as <see cref="ParseWellFormed"/> does — and refuses a key that names it
    /// (<c>accountId</c>, <c>channel</c>, <c>channel.id</c>) given twice. Stored bodies are read with the others: what was
    /// accepted before stays readable.
    /// </summary>
    /// <exception cref="ContractException">It is not a seed-format conversation, or names its account or chat twice.</exception>
    public static Conversation ParseInbound(ReadOnlySpan<byte> utf8Json, bool wellFormed = false)
    {
        if (wellFormed)
        {
            CheckObject(utf8Json);
        }
        else
        {
            CheckSyntax(utf8Json);
        }
        return ParseShape(utf8Json, Inbound);
    }

    private static Conversation ParseShape(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<Conversation>? info = null)
    {
        Conversation? conversation;
        try
        {
            conversation = JsonSerializer.Deserialize(utf8Json, info ?? Context.Conversation);
        }
        catch (JsonException e)
        {
            throw ContractException.FromJson(e);
        }
        return ContractValidator.Validate(conversation);
    }

    /// <summary>Parses a JSON element that is one conversation.</summary>
    public static Conversation Parse(JsonElement element)
    {
        Conversation? conversation;
        try
        {
            conversation = element.Deserialize(Context.Conversation);
        }
        catch (JsonException e)
        {
            throw ContractException.FromJson(e);
        }
        return ContractValidator.Validate(conversation);
    }

    /// <summary>
    /// One fast pass of the reader first, so a body that is not JSON at all (bad syntax, invalid UTF-8,
    /// nesting deeper than 64) or not an object is told apart from a JSON object of the wrong shape.
    /// </summary>
    private static void CheckSyntax(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new ContractException("The body is empty; send one seed-format conversation as a JSON object.", "$");
        }
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            throw new ContractException($"The body is not valid JSON: it is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(utf8Json)}).", "$");
        }
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                throw new ContractException("The body is empty; send one seed-format conversation as a JSON object.", "$");
            }
            var first = reader.TokenType;
            while (reader.Read())
            {
            }
            if (first != JsonTokenType.StartObject)
            {
                throw new ContractException(first == JsonTokenType.StartArray
                    ? "The body must be one conversation (a JSON object), not an array."
                    : "The body must be one conversation (a JSON object).", "$");
            }
        }
        catch (JsonException e)
        {
            throw ContractException.NotJson(e);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        System.Text.Unicode.Utf8.ToUtf16(utf8, new char[utf8.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    /// <summary>The deepest nesting accepted in a conversation.</summary>
    public const int MaxDepth = 64;

    public static byte[] Serialize(Conversation conversation) =>
        JsonSerializer.SerializeToUtf8Bytes(conversation, Context.Conversation);

    public static string SerializeToString(Conversation conversation) =>
        JsonSerializer.Serialize(conversation, Context.Conversation);
}
