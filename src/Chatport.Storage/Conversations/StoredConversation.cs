namespace Chatport.Storage.Conversations;

/// <summary>The latest version of a conversation as stored.</summary>
public sealed record StoredConversation(
    long AccountId,
    long ChatId,
    int Version,
    IReadOnlyList<string> Kinds,
    long? BeginAt,
    long? EndAt,
    string Source,
    DateTimeOffset StoredAt,
    byte[] Body);
