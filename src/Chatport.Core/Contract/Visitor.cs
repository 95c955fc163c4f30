using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>The seed's <c>visitor</c>. Values are kept as given, even odd ones.</summary>
public sealed class Visitor
{
    public Optional<long?> Id { get; set; }
    public Optional<string?> Name { get; set; }
    public Optional<string?> Email { get; set; }
    public Optional<string?> Note { get; set; }
    public Optional<string?> Group { get; set; }
    public Optional<string?> IpAddress { get; set; }
    public Optional<string?> City { get; set; }
    public Optional<string?> CountryCode { get; set; }
    public Optional<string?> Country { get; set; }
    public Optional<string?> UserAgent { get; set; }
    public Optional<string?> Platform { get; set; }
    public Optional<string?> Referer { get; set; }
    public Optional<Dictionary<string, Variable>?> Variables { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
