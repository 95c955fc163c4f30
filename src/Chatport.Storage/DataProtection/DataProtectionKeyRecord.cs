namespace Chatport.Storage.DataProtection;

/// <summary>
/// One ASP.NET Core Data Protection key as stored: the XML element its key manager wrote, as it wrote it. The XML
/// is the key itself, a secret (see <see cref="IDataProtectionKeyStore"/>): never log it.
/// </summary>
public sealed record DataProtectionKeyRecord(
    long Id,
    string? FriendlyName,
    string Xml,
    DateTimeOffset CreatedAt);
