namespace Chatport.Tracking;

/// <summary>What <see cref="ChatTracker.Apply"/> did with one event.</summary>
public enum ApplyResult
{
    /// <summary>The state changed and the chat is still open.</summary>
    Applied,

    /// <summary>This event (a <c>close</c> or an <c>offline</c>) finished the chat: export it.</summary>
    Finished,

    /// <summary>A rating on an already finished chat: export it again as a new version.</summary>
    Rerated,

    /// <summary>The event was not applied (the state is unchanged); the refusal says why.</summary>
    Refused,
}
