using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>One of <c>paths</c>: a page the visitor saw.</summary>
public sealed class PagePath
{
    public Optional<string?> Url { get; set; }
    public Optional<string?> Title { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
