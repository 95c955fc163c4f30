namespace Chatport.Storage.DataProtection;

/// <summary>
/// The keys of ASP.NET Core Data Protection (what a web portal's cookies are protected with), kept in the store so
/// that they survive a restart and every node of a shared database protects and unprotects with the same key ring.
/// </summary>
/// <remarks>
/// The XML is kept as given, unencrypted: it holds the key's secret, as the database already holds others
/// (destinations' signing secrets, hooks' tokens) and is the owner's alone (a 0600 SQLite file, or a PostgreSQL
/// database with its own credentials). Never log it. Keys are only added (Data Protection revokes a key by adding a
/// revocation element, and never deletes), so what is stored is bounded by size, and a read by
/// <see cref="MaxListed"/>.
/// </remarks>
public interface IDataProtectionKeyStore
{
    /// <summary>The longest friendly name stored, in characters.</summary>
    public const int MaxFriendlyNameLength = 200;

    /// <summary>The largest XML element stored, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxXmlBytes = 64 * 1024;

    /// <summary>How many elements a list returns at most: the newest.</summary>
    public const int MaxListed = 1000;

    /// <summary>The stored elements, newest first, at most <see cref="MaxListed"/>.</summary>
    Task<IReadOnlyList<DataProtectionKeyRecord>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an element. Throws <see cref="ArgumentException"/> when <paramref name="xml"/> is empty or larger than
    /// <see cref="MaxXmlBytes"/>, or <paramref name="friendlyName"/> is longer than <see cref="MaxFriendlyNameLength"/>.
    /// </summary>
    Task StoreDataProtectionKeyAsync(string? friendlyName, string xml, CancellationToken cancellationToken = default);
}
