using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

/// <summary>
/// The reference for <see cref="ChatStateJson"/>: the same state written and read by System.Text.Json's
/// source-generated serializer, with the options the stored states on disk were written with. The codec must
/// write the same bytes and accept and refuse the same inputs. bench/Chatport.Benchmarks compiles this file too, as
/// the state benchmarks' baseline.
/// </summary>
internal static class StjChatStateJson
{
    private static readonly StjChatStateJsonContext Context = new(new JsonSerializerOptions(StjChatStateJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(ChatState state) => JsonSerializer.SerializeToUtf8Bytes(state, Context.ChatState);

    public static ChatState Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        var state = JsonSerializer.Deserialize(utf8Json, Context.ChatState)
            ?? throw new JsonException("A chat state must be a JSON object, not null.");
        state.Visitor ??= new();
        state.Paths ??= [];
        state.Messages ??= [];
        return state;
    }
}

/// <summary>Source-generated metadata of <see cref="ChatState"/> for <see cref="StjChatStateJson"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    UseStringEnumConverter = true,
    MaxDepth = 64)]
[JsonSerializable(typeof(ChatState))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Visitor))]
[JsonSerializable(typeof(List<PagePath>))]
[JsonSerializable(typeof(Dictionary<string, Variable>))]
internal sealed partial class StjChatStateJsonContext : JsonSerializerContext;
