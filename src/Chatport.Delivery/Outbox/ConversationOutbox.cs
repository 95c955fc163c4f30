using Chatport.Storage;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Outbox;

/// <summary>
/// The one way a finished conversation is stored: its new version and one delivery per matching enabled
/// destination, in the caller's transaction (an outbox). After the commit the caller hands
/// <see cref="Enqueued"/> to the dispatcher, which sends them at once; if it never does (a crash), the
/// deliveries' leases run out and the dispatcher's poller sends them.
/// </summary>
public sealed class ConversationOutbox(IStoreSession session, TimeProvider time, TimeSpan leaseDuration, Func<string, bool> hasRoom)
{
    private readonly List<DeliveryWork> _enqueued = [];

    // Read once per account in this transaction: an import of 500 conversations asks once, not 500 times.
    private readonly Dictionary<long, IReadOnlyList<DestinationRoute>> _destinations = [];

    /// <summary>The deliveries added in this session, to dispatch once it has committed.</summary>
    public IReadOnlyList<DeliveryWork> Enqueued => _enqueued;

    public async Task<ConversationWriteResult> WriteAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
    {
        var written = await session.WriteConversationAsync(conversation, cancellationToken);
        await RouteAsync(conversation, written, cancellationToken);
        return written;
    }

    /// <summary>Several conversations, in the order given, written by the store in as few statements as it can; one result each.</summary>
    public async Task<IReadOnlyList<ConversationWriteResult>> WriteAsync(IReadOnlyList<ConversationWrite> conversations, CancellationToken cancellationToken = default)
    {
        var written = await session.WriteConversationsAsync(conversations, cancellationToken);
        for (var i = 0; i < conversations.Count; i++)
        {
            await RouteAsync(conversations[i], written[i], cancellationToken);
        }
        return written;
    }

    /// <summary>One delivery per matching enabled destination of a version just written (none for a duplicate).</summary>
    private async Task RouteAsync(ConversationWrite conversation, ConversationWriteResult written, CancellationToken cancellationToken)
    {
        if (written.Outcome == ConversationWriteOutcome.Duplicate)
        {
            return;
        }
        if (!_destinations.TryGetValue(conversation.AccountId, out var destinations))
        {
            destinations = _destinations[conversation.AccountId] = await session.GetEnabledRoutesAsync(conversation.AccountId, cancellationToken);
        }
        var now = time.GetUtcNow();
        foreach (var destination in destinations)
        {
            if (!destination.Accepts(conversation.Kinds))
            {
                continue;
            }
            var work = new DeliveryWork(
                DeliveryIds.New(now), conversation.AccountId, destination.Id, conversation.ChatId, written.Version,
                conversation.Kinds, 0, now, conversation.Delivered);
            if (hasRoom(destination.Id))
            {
                await session.EnqueueDeliveryAsync(work, now + leaseDuration, cancellationToken);
                _enqueued.Add(work);
            }
            else
            {
                // This node's lane for the destination is full: leave it unleased, for the next poll with room.
                await session.EnqueueDeliveryAsync(work, now, cancellationToken);
            }
        }
    }
}
