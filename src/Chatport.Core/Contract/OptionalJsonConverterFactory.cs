using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>Reads and writes <see cref="Optional{T}"/> through the inner type's own metadata.</summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var inner = typeToConvert.GetGenericArguments()[0];
        return (JsonConverter)Activator.CreateInstance(typeof(OptionalJsonConverter<>).MakeGenericType(inner))!;
    }

    private sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
    {
        private JsonTypeInfo<T>? _info;
        private JsonConverter<T>? _converter;

        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // Fast path: the inner type's converter reads the value in place. (JsonSerializer.Deserialize would
            // first skip the whole value to scope a reader to it, then read it again, at every nesting level.)
            if (reader.TokenType == JsonTokenType.Null)
            {
                // null for a non-nullable value type: the serializer words the error.
                return default(T) is null ? new(default!) : ReadScoped(ref reader, options);
            }
            // A single token: a converter that fails on it has not moved the reader. Anything larger is copied first,
            // so it can be read again.
            var singleToken = reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
            var start = singleToken ? default : reader;
            try
            {
                return new(Converter(options).Read(ref reader, typeof(T), options)!);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Invalid input: read it again the slow way, whose error names the path inside this value.
                if (!singleToken)
                {
                    reader = start;
                }
                return ReadScoped(ref reader, options);
            }
        }

        private JsonConverter<T> Converter(JsonSerializerOptions options) =>
            _converter ??= (JsonConverter<T>)Info(options).Converter;

        private Optional<T> ReadScoped(ref Utf8JsonReader reader, JsonSerializerOptions options)
        {
            try
            {
                return new(JsonSerializer.Deserialize(ref reader, Info(options))!);
            }
            catch (JsonException e)
            {
                // The nested call reports paths from its own root; a path-less exception lets the outer
                // serializer add where this value is, and JsonErrors.PathOf joins the two.
                throw new JsonException(JsonErrors.WithoutPath(e.Message), e);
            }
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, Info(options));

        private JsonTypeInfo<T> Info(JsonSerializerOptions options) =>
            _info ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
