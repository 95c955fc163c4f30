using System.Runtime.CompilerServices;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Retries;

/// <summary>A destination's retry schedule, parsed once per destination record (a changed destination is a new record).</summary>
public static class DestinationSchedule
{
    private static readonly ConditionalWeakTable<Destination, RetrySchedule> Parsed = new();

    public static RetrySchedule Of(Destination destination) =>
        destination.RetrySchedule.Count == 0
            ? RetrySchedule.Default
            : Parsed.GetValue(destination, static d => RetrySchedule.Parse(d.RetrySchedule));
}
