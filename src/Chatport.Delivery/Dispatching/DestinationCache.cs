using System.Collections.Concurrent;
using Chatport.Storage;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Dispatching;

/// <summary>Destinations as the dispatcher sees them, re-read from the store after a short time or when told.</summary>
public sealed class DestinationCache(IChatportStore store, TimeProvider time, IOptions<DeliveryOptions> options)
{
    private readonly ConcurrentDictionary<string, (Destination? Destination, DateTimeOffset Until)> _entries = new();

    public async ValueTask<Destination?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(id, out var entry) && entry.Until > now)
        {
            return entry.Destination;
        }
        var destination = await store.FindDestinationAsync(id, cancellationToken);
        _entries[id] = (destination, now + options.Value.DestinationCacheDuration);
        return destination;
    }

    /// <summary>The destination as last read, however old; null when it was never read (or is gone). Never reads the store.</summary>
    public Destination? Cached(string id) => _entries.TryGetValue(id, out var entry) ? entry.Destination : null;

    /// <summary>Forgets a destination (it was changed, disabled or deleted).</summary>
    public void Invalidate(string id) => _entries.TryRemove(id, out _);
}
