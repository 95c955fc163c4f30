namespace Chatport.Tracking;

/// <summary>The <c>type</c> of a live event (docs/architecture.md, "The tracker's rules"); its body is under the key of the same name.</summary>
public enum ChatEventType
{
    /// <summary><c>visitor</c>: only the event's <c>visitor</c> object, merged into the chat's visitor.</summary>
    Visitor,

    /// <summary><c>page</c>: a page <c>{url, title}</c> appended to the chat's <c>paths</c>.</summary>
    Page,

    /// <summary><c>message</c>: one message of the contract, inserted into the chat's messages by <c>sentAt</c>.</summary>
    Message,

    /// <summary><c>rating</c>: the visitor's rating <c>{rating, ratingDesc?}</c>; the only event accepted after a chat finished.</summary>
    Rating,

    /// <summary><c>close</c>: <c>{by, name?}</c>; appends the close message and finishes the chat.</summary>
    Close,

    /// <summary><c>offline</c>: one visitor message left while no agent was available; finishes the chat as offline.</summary>
    Offline,
}
