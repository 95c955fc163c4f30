using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Storage;

/// <summary>
/// One write transaction. Everything done through a session becomes durable together at
/// <see cref="CommitAsync"/>, or not at all (disposing without committing rolls back). Sources acknowledge
/// only after the commit.
/// </summary>
public interface IStoreSession : IAsyncDisposable
{
    Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Records a live event under its idempotency key; false when that key was seen before.</summary>
    Task<bool> RecordEventAsync(long accountId, string eventId, long chatId, long at, long receivedAt, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Forgets an event recorded in this session (one the tracker refused), so a retry is judged again.</summary>
    Task ForgetEventAsync(long accountId, string eventId, CancellationToken cancellationToken = default);

    Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default);

    Task SaveChatAsync(ChatRecord chat, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several chats, each read (and locked) as <see cref="GetChatAsync"/> reads it; one result each, in the order
    /// given. A store may do it in fewer statements.
    /// </summary>
    Task<IReadOnlyList<ChatRecord?>> GetChatsAsync(IReadOnlyList<ChatKey> chats, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records several events, each as <see cref="RecordEventAsync"/> would, in the order given: true for each one
    /// recorded, false for a key seen before (an earlier one in the list included).
    /// </summary>
    Task<IReadOnlyList<bool>> RecordEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default);

    /// <summary>Forgets several events recorded in this session, as <see cref="ForgetEventAsync"/> does.</summary>
    Task ForgetEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default);

    /// <summary>Saves several chats (no chat twice), as <see cref="SaveChatAsync"/> does.</summary>
    Task SaveChatsAsync(IReadOnlyList<ChatRecord> chats, CancellationToken cancellationToken = default);

    /// <summary>Stores a finished conversation as its next version, unless it equals the latest.</summary>
    Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores several finished conversations, each as <see cref="WriteConversationAsync"/> would, in the order given
    /// (the same chat twice gets two versions); one result each, in that order. A store may do it in fewer statements.
    /// </summary>
    Task<IReadOnlyList<ConversationWriteResult>> WriteConversationsAsync(IReadOnlyList<ConversationWrite> conversations, CancellationToken cancellationToken = default);

    /// <summary>The account's enabled destinations (their ids and kinds), for routing a conversation written in this session.</summary>
    Task<IReadOnlyList<DestinationRoute>> GetEnabledRoutesAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a delivery to the outbox, in this transaction, leased until <paramref name="leaseUntil"/> so the node
    /// that wrote it sends it at once and no poller takes it meanwhile.
    /// </summary>
    Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remembers a message id a source received (a Standard Webhooks <c>webhook-id</c>); false when it was seen
    /// before — a replay. Ids older than <paramref name="forgetBefore"/> are forgotten.
    /// </summary>
    Task<bool> RememberMessageIdAsync(string sourceId, string messageId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default);

    Task CommitAsync(CancellationToken cancellationToken = default);
}
