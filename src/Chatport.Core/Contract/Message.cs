using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>One of <c>messages</c>.</summary>
public sealed class Message
{
    /// <summary><c>visitor</c>, <c>agent</c> or <c>system</c>.</summary>
    public Optional<string?> Type { get; set; }

    /// <summary>The sender's display name; absent on some messages (the sample's first).</summary>
    public Optional<string?> Name { get; set; }

    /// <summary><c>visitor:TOKEN</c>, <c>agent:ID</c> or <c>system</c> (a bare id in the older generation).</summary>
    public Optional<string?> From { get; set; }

    public Optional<string?> Content { get; set; }

    /// <summary>Epoch milliseconds.</summary>
    public Optional<long> SentAt { get; set; }

    /// <summary>The trigger's name for an automated message, else <c>null</c>.</summary>
    public Optional<string?> TriggeredBy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
