namespace Chatport.Storage.Conversations;

/// <summary>Reading finished conversations (writing goes through an <see cref="IStoreSession"/>).</summary>
public interface IConversationStore
{
    Task<StoredConversation?> GetConversationAsync(long accountId, long chatId, CancellationToken cancellationToken = default);

    Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default);
}
