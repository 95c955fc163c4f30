namespace Chatport.Storage.Destinations;

/// <summary>Destinations of accounts.</summary>
public interface IDestinationStore
{
    Task CreateDestinationAsync(Destination destination, CancellationToken cancellationToken = default);

    Task<Destination?> GetDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default);

    /// <summary>One destination by id alone (the dispatcher's view).</summary>
    Task<Destination?> FindDestinationAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Destination>> ListDestinationsAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the destination's settings (not its delivery history); false when there is none.</summary>
    Task<bool> UpdateDestinationAsync(Destination destination, CancellationToken cancellationToken = default);

    /// <summary>Deletes the destination and its pending deliveries; false when there is none.</summary>
    Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default);
}
