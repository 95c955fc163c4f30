namespace Chatport.Storage.Conversations;

/// <summary>One stored version of a conversation: its number, where it came from, when, and its body as received.</summary>
public sealed record StoredConversationVersion(int Version, string Source, DateTimeOffset StoredAt, byte[] Body)
{
    /// <summary>The most versions <see cref="IConversationStore.ListConversationVersionsAsync"/> returns.</summary>
    public const int MaxListed = 100;
}
