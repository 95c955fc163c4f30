namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// One preset run at a time per destination and conversation, on this node: a look-up and the create it decides on
/// are not split by another version's (two versions sent at once — a CRM back after being down, say — would both
/// find nothing and both make a ticket). Other conversations, and other destinations, run side by side.
/// </summary>
internal sealed class ConversationGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<Pass> EnterAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                _entries[key] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, entry, release: false);
            throw;
        }
        return new Pass(this, key, entry);
    }

    private void Leave(string key, Entry entry, bool release)
    {
        if (release)
        {
            entry.Gate.Release();
        }
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    /// <summary>Held while a run goes on; disposing it lets the next one in.</summary>
    public readonly struct Pass(ConversationGate gate, string key, Entry entry) : IDisposable
    {
        public void Dispose() => gate.Leave(key, entry, release: true);
    }
}
