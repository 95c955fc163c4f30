namespace Chatport.Storage.Keys;

/// <summary>An account's API key as stored: never the key itself, only its SHA-256 and a prefix to recognize it by.</summary>
public sealed record ApiKeyRecord(
    string Id,
    long AccountId,
    string Name,
    string Prefix,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
