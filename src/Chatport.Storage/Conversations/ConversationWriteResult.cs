namespace Chatport.Storage.Conversations;

/// <summary>What storing a conversation did.</summary>
public enum ConversationWriteOutcome
{
    /// <summary>The first version of this (accountId, channel.id).</summary>
    Created,

    /// <summary>A changed body for a known conversation: stored as the next version.</summary>
    NewVersion,

    /// <summary>The same body as the latest version: nothing stored.</summary>
    Duplicate,
}

/// <summary>The outcome and the version that now stands (the new one, or the latest for a duplicate).</summary>
public readonly record struct ConversationWriteResult(ConversationWriteOutcome Outcome, int Version);
