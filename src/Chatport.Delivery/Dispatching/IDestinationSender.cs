using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Dispatching;

/// <summary>Sends deliveries to destinations of one kind (<c>webhook</c>, …). One folder per kind under Destinations/.</summary>
public interface IDestinationSender
{
    /// <summary>The destination kind this sender serves.</summary>
    string Kind { get; }

    /// <summary>Sends one attempt. Never throws for the receiver's faults: they are the outcome.</summary>
    Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken);

    /// <summary>The retry schedule configured on this destination (null: the default).</summary>
    Retries.RetrySchedule? ScheduleOf(Destination destination);
}
