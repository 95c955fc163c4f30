using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// The state of one live chat, changed by <see cref="ChatTracker"/> and persisted between requests by the
/// caller (with <see cref="ChatStateJson"/>). Starts empty and open.
/// </summary>
public sealed class ChatState
{
    public ChatState()
        : this(new(), [], [])
    {
    }

    /// <summary>A state with the given visitor and lists (for <see cref="ChatStateReader"/>, which reads them first).</summary>
    internal ChatState(Visitor visitor, List<PagePath> paths, List<Message> messages)
    {
        Visitor = visitor;
        Paths = paths;
        Messages = messages;
    }

    /// <summary>The merged visitor: only the keys some event gave are present.</summary>
    public Visitor Visitor { get; set; }

    /// <summary>The pages the visitor saw, in the order their events were applied.</summary>
    public List<PagePath> Paths { get; set; }

    /// <summary>
    /// The messages, kept ordered by <c>sentAt</c>; a message whose <c>sentAt</c> equals others' comes after
    /// them (arrival order).
    /// </summary>
    public List<Message> Messages { get; set; }

    /// <summary>Whether the visitor rated the chat.</summary>
    public bool Rated { get; set; }

    /// <summary>The visitor's latest rating; <c>null</c> when not rated.</summary>
    public int? Rating { get; set; }

    /// <summary>The latest rating's comment (<c>""</c> when rated without one); <c>null</c> when not rated.</summary>
    public string? RatingDesc { get; set; }

    /// <summary>Why the chat finished; <c>null</c> while it is open.</summary>
    public FinishReason? FinishedBy { get; set; }

    /// <summary>When it finished, on the server's clock (epoch milliseconds); <c>null</c> while it is open.</summary>
    public long? FinishedAt { get; set; }
}
