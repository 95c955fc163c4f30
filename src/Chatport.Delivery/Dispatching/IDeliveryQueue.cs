using Chatport.Storage.Deliveries;

namespace Chatport.Delivery.Dispatching;

/// <summary>Hands committed deliveries to the dispatcher, and wakes it when the outbox changed.</summary>
public interface IDeliveryQueue
{
    /// <summary>Sends these deliveries now (they were leased to this node when written).</summary>
    void Enqueue(IReadOnlyList<DeliveryWork> deliveries);

    /// <summary>Whether this node can take one more delivery for the destination now.</summary>
    bool HasRoom(string destinationId);

    /// <summary>Polls the outbox now rather than at the next tick (after a replay, say).</summary>
    void Wake();
}
