using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>What a JSON value may be, as the contract's serializer reads it.</summary>
internal enum ValueShapeKind
{
    /// <summary>A number <see cref="Utf8JsonReader.TryGetInt64"/> accepts.</summary>
    Int64,

    /// <summary>A number <see cref="Utf8JsonReader.TryGetInt32"/> accepts.</summary>
    Int32,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A string that decodes to UTF-16.</summary>
    String,

    /// <summary>Anything (a <see cref="JsonElement"/>).</summary>
    Any,

    /// <summary>An object of <see cref="ValueShape.Object"/>.</summary>
    Object,

    /// <summary>An array of <see cref="ValueShape.Element"/>.</summary>
    Array,

    /// <summary>An object whose every value is a <see cref="ValueShape.Element"/>.</summary>
    Dictionary,
}

/// <summary>The conversation's fields that filing it needs (see <see cref="ConversationHead"/>).</summary>
internal enum HeadField
{
    None,
    AccountId,
    BeginAt,
    EndAt,
    Channel,
    ChannelId,
    IsCompleted,
    IsMissed,
    IsOffline,
    IsDropped,
    Messages,
    MessageType,
    MessageFrom,
}

/// <summary>One value's shape: its kind, whether <c>null</c> is read (as the serializer reads it), and what it holds.</summary>
internal sealed record ValueShape(ValueShapeKind Kind, bool Nullable, ObjectShape? Object = null, ValueShape? Element = null);

/// <summary>One key of an object: its UTF-8 name, its value's shape, and which head field it is (if any).</summary>
internal sealed record PropertyShape(byte[] Name, ValueShape Value, HeadField Field);

/// <summary>
/// The keys of one contract type, in declaration order. Keys not listed go to the type's extension data (any value).
/// </summary>
internal sealed class ObjectShape(Type type, PropertyShape[] properties)
{
    public Type Type { get; } = type;

    public PropertyShape[] Properties { get; } = properties;

    /// <summary>
    /// The index of the key <paramref name="utf8Name"/>, or −1. <paramref name="next"/> is where the search starts
    /// (keys usually come in declaration order, so the next one is usually the one) and is moved past a match.
    /// </summary>
    public int IndexOf(ReadOnlySpan<byte> utf8Name, ref int next)
    {
        var count = Properties.Length;
        for (var n = 0; n < count; n++)
        {
            var i = next + n;
            if (i >= count)
            {
                i -= count;
            }
            if (utf8Name.SequenceEqual(Properties[i].Name))
            {
                next = i + 1;
                return i;
            }
        }
        return -1;
    }
}

/// <summary>
/// Derives the contract's shapes from the serializer's own metadata (<see cref="ContractJson.Context"/>), so the
/// scanner checks exactly the keys and types the contract's classes declare: a field added to a class is checked
/// there without a second list to keep in step.
/// </summary>
internal static class ContractShapes
{
    public static ObjectShape Conversation { get; } = ObjectOf(ContractJson.Context.Options, typeof(Conversation));

    private static ObjectShape ObjectOf(JsonSerializerOptions options, Type type)
    {
        var info = options.GetTypeInfo(type);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            throw new NotSupportedException($"{type} is not read as a JSON object.");
        }
        var properties = info.Properties
            .Where(p => !p.IsExtensionData && p.Set is not null)
            .Select(p => new PropertyShape(Encoding.UTF8.GetBytes(p.Name), ValueOf(options, p.PropertyType), FieldOf(type, p)))
            .ToArray();
        if (properties.Length > 64)
        {
            throw new NotSupportedException($"{type} has more than 64 keys.");
        }
        return new ObjectShape(type, properties);
    }

    private static ValueShape ValueOf(JsonSerializerOptions options, Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
        {
            // Optional<T> reads null as a present null exactly when T can hold one (OptionalJsonConverterFactory).
            type = type.GetGenericArguments()[0];
        }
        var underlying = System.Nullable.GetUnderlyingType(type);
        var nullable = !type.IsValueType || underlying is not null;
        type = underlying ?? type;
        if (type == typeof(long))
        {
            return new ValueShape(ValueShapeKind.Int64, nullable);
        }
        if (type == typeof(int))
        {
            return new ValueShape(ValueShapeKind.Int32, nullable);
        }
        if (type == typeof(bool))
        {
            return new ValueShape(ValueShapeKind.Boolean, nullable);
        }
        if (type == typeof(string))
        {
            return new ValueShape(ValueShapeKind.String, nullable);
        }
        if (type == typeof(JsonElement))
        {
            return new ValueShape(ValueShapeKind.Any, true);
        }
        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => new ValueShape(ValueShapeKind.Object, nullable, ObjectOf(options, type)),
            JsonTypeInfoKind.Enumerable => new ValueShape(ValueShapeKind.Array, nullable, Element: ValueOf(options, info.ElementType!)),
            JsonTypeInfoKind.Dictionary when info.KeyType == typeof(string) =>
                new ValueShape(ValueShapeKind.Dictionary, nullable, Element: ValueOf(options, info.ElementType!)),
            _ => throw new NotSupportedException($"The contract scanner does not know how {type} is read."),
        };
    }

    private static HeadField FieldOf(Type owner, JsonPropertyInfo property) =>
        (owner.Name, (property.AttributeProvider as MemberInfo)?.Name) switch
        {
            (nameof(Contract.Conversation), nameof(Contract.Conversation.AccountId)) => HeadField.AccountId,
            (nameof(Contract.Conversation), nameof(Contract.Conversation.BeginAt)) => HeadField.BeginAt,
            (nameof(Contract.Conversation), nameof(Contract.Conversation.EndAt)) => HeadField.EndAt,
            (nameof(Contract.Conversation), nameof(Contract.Conversation.Channel)) => HeadField.Channel,
            (nameof(Contract.Conversation), nameof(Contract.Conversation.Messages)) => HeadField.Messages,
            (nameof(Channel), nameof(Channel.Id)) => HeadField.ChannelId,
            (nameof(Channel), nameof(Channel.IsCompleted)) => HeadField.IsCompleted,
            (nameof(Channel), nameof(Channel.IsMissed)) => HeadField.IsMissed,
            (nameof(Channel), nameof(Channel.IsOffline)) => HeadField.IsOffline,
            (nameof(Channel), nameof(Channel.IsDropped)) => HeadField.IsDropped,
            (nameof(Message), nameof(Message.Type)) => HeadField.MessageType,
            (nameof(Message), nameof(Message.From)) => HeadField.MessageFrom,
            _ => HeadField.None,
        };
}
