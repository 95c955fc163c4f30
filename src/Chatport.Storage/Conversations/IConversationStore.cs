namespace Chatport.Storage.Conversations;

/// <summary>Reading finished conversations (writing goes through an <see cref="IStoreSession"/>).</summary>
public interface IConversationStore
{
    Task<StoredConversation?> GetConversationAsync(long accountId, long chatId, CancellationToken cancellationToken = default);

    Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stored version of one conversation, newest first, at most <see cref="StoredConversationVersion.MaxListed"/>
    /// (the newest ones); empty when the conversation does not exist.
    /// </summary>
    Task<IReadOnlyList<StoredConversationVersion>> ListConversationVersionsAsync(long accountId, long chatId, CancellationToken cancellationToken = default);
}
