using Chatport.Delivery.Dispatching;
using Chatport.Storage;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Outbox;

/// <summary>Opens an outbox on a store session, and hands its deliveries to the dispatcher once committed.</summary>
public sealed class OutboxFactory(TimeProvider time, IOptions<DeliveryOptions> options, IDeliveryQueue queue)
{
    public ConversationOutbox Open(IStoreSession session) => new(session, time, options.Value.LeaseDuration, queue.HasRoom);

    /// <summary>Call after the session committed: the new deliveries are sent now.</summary>
    public void Committed(ConversationOutbox outbox)
    {
        if (outbox.Enqueued.Count > 0)
        {
            queue.Enqueue(outbox.Enqueued);
        }
    }
}
