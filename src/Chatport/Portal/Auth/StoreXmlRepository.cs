using System.Xml;
using System.Xml.Linq;
using Chatport.Storage.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Chatport.Portal.Auth;

/// <summary>
/// ASP.NET Core Data Protection's key ring kept in Chatport's store (<see cref="IDataProtectionKeyStore"/>), not in a
/// folder: a portal's cookies survive a restart, and every node on one PostgreSQL database reads the keys any of them
/// made, so each accepts the others' cookies.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IXmlRepository"/> is synchronous, so this waits on the async store (<c>GetAwaiter().GetResult()</c>,
/// as EF Core's repository reads its context synchronously). ASP.NET Core has no synchronization context, so the wait
/// cannot deadlock; it blocks one thread for one short, bounded query. That is acceptable only because it runs
/// rarely: Data Protection caches the key ring and reads the repository again when the ring expires (about once in
/// 24 hours), when a key is due to be made, and — for the first two minutes after its key ring provider is made —
/// whenever an unprotect names a key id it does not know (so that a key another node has just made is found). That
/// last one runs on the request thread, once per such request: a client could send cookies with made-up key ids.
/// So reads are coalesced here: one within <see cref="MinReadInterval"/> of the last is answered from that read,
/// and a store read never happens more than once per interval per node, whatever the requests. A key this node
/// stores is seen at once; one another node made is seen within the interval.
/// </para>
/// <para>
/// Data Protection's own start-up warm-up would read the ring synchronously while the host starts; on a small
/// machine that starved the thread pool Npgsql needs to finish the very read it waits on (a connection timeout, seen
/// on two cores). <see cref="DataProtectionKeyRingWarmup"/> replaces it: it reads the store asynchronously
/// (<see cref="LoadAsync"/>) and then lets Data Protection build its ring from memory.
/// </para>
/// <para>
/// The XML is stored as Data Protection hands it over, unencrypted (no <c>IXmlEncryptor</c> is configured, so Data
/// Protection warns once per key made that it may be persisted unencrypted): it is the key's secret, kept in a
/// database that is the owner's alone (0600) and holds other secrets already. It is never logged.
/// </para>
/// </remarks>
internal sealed partial class StoreXmlRepository(IDataProtectionKeyStore store, TimeProvider time, ILogger<StoreXmlRepository> logger)
    : IXmlRepository
{
    /// <summary>How long one read of the store answers the reads after it.</summary>
    internal static readonly TimeSpan MinReadInterval = TimeSpan.FromSeconds(5);

    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private readonly Lock _lock = new();
    private (long ReadAt, XElement[] Elements)? _lastRead;
    private long _storeReads;

    /// <summary>How many times the store was read (for tests).</summary>
    internal long StoreReads => Interlocked.Read(ref _storeReads);

    /// <summary>
    /// The stored elements, oldest first, as a folder of key files reads (copies: Data Protection may keep them); one
    /// that is not XML is skipped with a warning that names its row, never its text.
    /// </summary>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_lock) // callers at once wait for one read rather than each make their own
        {
            var now = time.GetTimestamp();
            if (_lastRead is not { } last || time.GetElapsedTime(last.ReadAt, now) >= MinReadInterval)
            {
                // Sync over async: rare, see the remarks.
                last = (now, Parse(store.ListDataProtectionKeysAsync().GetAwaiter().GetResult()));
                _lastRead = last;
            }
            return Array.ConvertAll(last.Elements, element => new XElement(element));
        }
    }

    /// <summary>
    /// Reads the store without blocking a thread, so that the read Data Protection makes next (within
    /// <see cref="MinReadInterval"/>) is answered from memory: see <see cref="DataProtectionKeyRingWarmup"/>.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var elements = Parse(await store.ListDataProtectionKeysAsync(cancellationToken));
        lock (_lock)
        {
            _lastRead = (now, elements);
        }
    }

    /// <summary>Adds the element to the store; Data Protection calls it when it makes or revokes a key.</summary>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // Sync over async: once per key made (every ~90 days) or revoked, see the remarks.
        store.StoreDataProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
        lock (_lock)
        {
            // The next read within the interval sees it too, without a read of the store.
            _lastRead = _lastRead is { } last ? (last.ReadAt, [.. last.Elements, new XElement(element)]) : null;
        }
    }

    /// <summary>The store's rows (newest first, bounded by the store) as elements, oldest first.</summary>
    private XElement[] Parse(IReadOnlyList<DataProtectionKeyRecord> stored)
    {
        Interlocked.Increment(ref _storeReads);
        var elements = new List<XElement>(stored.Count);
        for (var i = stored.Count - 1; i >= 0; i--)
        {
            try
            {
                using var reader = XmlReader.Create(new StringReader(stored[i].Xml), ReaderSettings);
                elements.Add(XElement.Load(reader));
            }
            catch (XmlException)
            {
                LogUnreadable(logger, stored[i].Id);
            }
        }
        return [.. elements];
    }

    [LoggerMessage(1001, LogLevel.Warning, "Data protection key row {Id} is not XML; it is skipped.")]
    private static partial void LogUnreadable(ILogger logger, long id);
}
