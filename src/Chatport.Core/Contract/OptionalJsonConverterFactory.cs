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

        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // Fast path: the inner type's converter reads the value in place. (JsonSerializer.Deserialize would
            // first skip the whole value to scope a reader to it, then read it again, at every nesting level.)
            var start = reader;
            try
            {
                var info = Info(options);
                if (reader.TokenType == JsonTokenType.Null && default(T) is not null)
                {
                    // null for a non-nullable value type: let the serializer word the error below.
                    throw new JsonException();
                }
                return new(reader.TokenType == JsonTokenType.Null ? default! : ((JsonConverter<T>)info.Converter).Read(ref reader, typeof(T), options)!);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Invalid input: read it again the slow way, whose error names the path inside this value.
                reader = start;
                return ReadScoped(ref reader, options);
            }
        }

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
