using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>The seed's <c>channel</c>: the chat's identity, flags and metrics.</summary>
public sealed class Channel
{
    /// <summary>Id of the chat; with <c>accountId</c> it identifies the conversation.</summary>
    public Optional<long> Id { get; set; }

    public Optional<bool> IsChat { get; set; }
    public Optional<bool> IsMissed { get; set; }
    public Optional<bool> IsTriggered { get; set; }
    public Optional<bool> IsOffline { get; set; }
    public Optional<bool> IsCompleted { get; set; }
    public Optional<bool> IsDropped { get; set; }

    /// <summary>Seconds from the first to the last message.</summary>
    public Optional<long> Duration { get; set; }

    /// <summary>Seconds, mean agent response time.</summary>
    public Optional<long> AvgResponse { get; set; }

    /// <summary>Seconds until the first agent reply.</summary>
    public Optional<long> FirstResponse { get; set; }

    public Optional<long> MessagesCount { get; set; }
    public Optional<long> WordsCount { get; set; }

    /// <summary>The visitor's rating; <c>null</c> when there is none.</summary>
    public Optional<int?> Rating { get; set; }

    /// <summary>The rating's comment; <c>""</c> when rated without one, <c>null</c> when not rated.</summary>
    public Optional<string?> RatingDesc { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
