using System.Collections.Concurrent;

namespace Chatport.Storage.Relational;

/// <summary>
/// Rows read on every request of their kind (an inbound hook's source by its token, an API key by its hash), kept for
/// <see cref="Ttl"/> so a hook or an event does not pay a database read before its own work. Only rows that exist are
/// kept: something created is found at once. The store clears a cache when it deletes or revokes one of its rows, so on
/// the node that did it the change holds at once; another node sharing the database sees it within <see cref="Ttl"/>.
/// Bounded: past <see cref="MaxEntries"/> the cache starts again empty.
/// </summary>
internal sealed class LookupCache<TValue>(TimeProvider time) where TValue : class
{
    /// <summary>How long a row read is trusted before it is read again.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (TValue Value, long Until)> _entries = new(StringComparer.Ordinal);

    // Bumped by Clear: a read that started before a clear must not put back what the clear removed.
    private long _generation;

    private long Generation => Interlocked.Read(ref _generation);

    /// <summary>The kept row for <paramref name="key"/>, or the one <paramref name="read"/> finds (kept when it exists).</summary>
    public async Task<TValue?> GetOrReadAsync(string key, Func<Task<TValue?>> read)
    {
        if (Find(key) is { } kept)
        {
            return kept;
        }
        var generation = Generation;
        var value = await read();
        if (value is not null)
        {
            Keep(key, value, generation);
        }
        return value;
    }

    private TValue? Find(string key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Until > time.GetTimestamp())
            {
                return entry.Value;
            }
            _entries.TryRemove(new KeyValuePair<string, (TValue, long)>(key, entry));
        }
        return null;
    }

    /// <summary>Keeps <paramref name="value"/>, read when the cache was at <paramref name="generation"/>.</summary>
    private void Keep(string key, TValue value, long generation)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        var until = time.GetTimestamp() + (long)(Ttl.TotalSeconds * time.TimestampFrequency);
        _entries[key] = (value, until);
        if (Generation != generation)
        {
            _entries.TryRemove(key, out _); // cleared while it was being read: it may be what the clear removed
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
