using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>
/// Source-generated serialization of the contract. Absent (<c>default</c>) values are not written, which is
/// what keeps absent keys absent; every value type in the contract is an <see cref="Optional{T}"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    MaxDepth = 64)]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(List<Conversation>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Visitor))]
[JsonSerializable(typeof(List<PagePath>))]
[JsonSerializable(typeof(Dictionary<string, Variable>))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
