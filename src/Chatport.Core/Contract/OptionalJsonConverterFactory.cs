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
