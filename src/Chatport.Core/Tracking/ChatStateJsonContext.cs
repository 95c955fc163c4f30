using System.Text.Json;
using System.Text.Json.Serialization;
using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Source-generated serialization of <see cref="ChatState"/>, with the contract's options: absent
/// (<c>default</c>) values are not written, so an absent key stays absent and a <c>null</c> stays <c>null</c>.
/// The <see cref="Optional{T}"/> converter resolves its inner types through the options, so every type reachable
/// through an <see cref="Optional{T}"/> is declared here too.
/// </summary>
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
internal sealed partial class ChatStateJsonContext : JsonSerializerContext;
