using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>
/// One finished conversation, field for field the JSON of the seed's POST hook. Every scalar is an
/// <see cref="Optional{T}"/> so a document round-trips exactly; unknown fields are kept in <see cref="Extra"/>.
/// </summary>
public sealed class Conversation
{
    public Optional<long> AccountId { get; set; }

    /// <summary>Epoch milliseconds of the first message.</summary>
    public Optional<long> BeginAt { get; set; }

    /// <summary>Epoch milliseconds of the last message.</summary>
    public Optional<long> EndAt { get; set; }

    public Channel? Channel { get; set; }

    public Optional<Visitor?> Visitor { get; set; }

    public Optional<List<PagePath>?> Paths { get; set; }

    public List<Message>? Messages { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
