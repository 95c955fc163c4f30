namespace Chatport.Storage.Keys;

/// <summary>Account-scoped API keys.</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord> CreateApiKeyAsync(string id, long accountId, string name, string prefix, byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>The key with this SHA-256, revoked or not; null when there is none.</summary>
    Task<ApiKeyRecord?> FindApiKeyAsync(byte[] hash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of the account; false when it has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(long accountId, string id, CancellationToken cancellationToken = default);
}
