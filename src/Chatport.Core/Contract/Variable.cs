using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>One of <c>visitor.variables</c>: a label and a value of any JSON type, kept as given.</summary>
public sealed class Variable
{
    public Optional<string?> Label { get; set; }

    /// <summary>A number, string, boolean, null (or anything else) exactly as received.</summary>
    public Optional<JsonElement> Value { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
