using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// A validated live event (docs/architecture.md, "The tracker's rules"), as <see cref="ChatEventParser"/> makes it. Only the
/// body of its <see cref="Type"/> is set; the optional <see cref="Visitor"/> may come with any type.
/// </summary>
public sealed class ChatEvent
{
    /// <summary>The idempotency key: non-empty, at most 200 characters.</summary>
    public required string Id { get; init; }

    /// <summary>The account, &gt; 0.</summary>
    public required long AccountId { get; init; }

    /// <summary>The chat, &gt; 0; it becomes the exported <c>channel.id</c>.</summary>
    public required long ChatId { get; init; }

    /// <summary>When it happened on the source's clock, epoch milliseconds, &gt;= 0.</summary>
    public required long At { get; init; }

    /// <summary>What kind of event it is.</summary>
    public required ChatEventType Type { get; init; }

    /// <summary>
    /// Visitor fields to merge into the chat's visitor (only the keys that were given are present); required for
    /// <see cref="ChatEventType.Visitor"/>, optional on every other type.
    /// </summary>
    public Visitor? Visitor { get; init; }

    /// <summary>
    /// The message of a <see cref="ChatEventType.Message"/> or <see cref="ChatEventType.Offline"/> event (an offline
    /// message is of type <c>visitor</c>). An absent <c>sentAt</c> means <see cref="At"/>.
    /// </summary>
    public Message? Message { get; init; }

    /// <summary>The page of a <see cref="ChatEventType.Page"/> event.</summary>
    public PagePath? Page { get; init; }

    /// <summary>The rating of a <see cref="ChatEventType.Rating"/> event.</summary>
    public int? Rating { get; init; }

    /// <summary>The rating's comment; <c>null</c> when absent (it is then exported as <c>""</c>).</summary>
    public string? RatingDesc { get; init; }

    /// <summary>Who closed the chat, for a <see cref="ChatEventType.Close"/> event.</summary>
    public CloseBy? CloseBy { get; init; }

    /// <summary>The closer's name given with a <see cref="ChatEventType.Close"/> event; <c>null</c> when absent.</summary>
    public string? CloseName { get; init; }
}
