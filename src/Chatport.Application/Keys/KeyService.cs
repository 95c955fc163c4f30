using Chatport.Application.Accounts;
using Chatport.Storage;
using Chatport.Storage.Keys;
using Microsoft.Extensions.Options;

namespace Chatport.Application.Keys;

/// <summary>What <see cref="KeyService.CreateAsync"/> made: the record, and the key itself, shown this once.</summary>
public sealed record CreatedKey(ApiKeyRecord Record, string Key);

/// <summary>API keys that act for one account only; only their SHA-256 is kept.</summary>
public sealed class KeyService(IChatportStore store, IOptions<LimitsOptions> limits)
{
    public const int MaxNameLength = 200;

    /// <param name="name">What the key is for; "api key" when empty.</param>
    public async Task<Result<CreatedKey>> CreateAsync(long accountId, string? name, CancellationToken cancellationToken = default)
    {
        if (await store.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return AccountService.NotFound<CreatedKey>(accountId);
        }
        name = string.IsNullOrWhiteSpace(name) ? "api key" : name.Trim();
        if (name.Length > MaxNameLength)
        {
            return Result<CreatedKey>.Invalid("name", $"name must be at most {MaxNameLength} characters; it has {name.Length:N0}.");
        }
        if (name.Any(char.IsControl))
        {
            return Result<CreatedKey>.Invalid("name", "name must be one line, without control characters.");
        }
        var max = limits.Value.KeysPerAccount;
        if ((await store.ListApiKeysAsync(accountId, cancellationToken)).Count(k => k.RevokedAt is null) >= max)
        {
            return Result<CreatedKey>.LimitReached(accountId, "API keys", nameof(LimitsOptions.KeysPerAccount), max, "revoke one first");
        }
        var key = ApiKeys.NewAccountKey();
        var record = await store.CreateApiKeyAsync(ApiKeys.NewKeyId(), accountId, name, key[..ApiKeys.ShownLength], ApiKeys.Hash(key), cancellationToken);
        return Result<CreatedKey>.Created(new CreatedKey(record, key));
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        store.ListApiKeysAsync(accountId, cancellationToken);

    public async Task<Result<bool>> RevokeAsync(long accountId, string keyId, CancellationToken cancellationToken = default) =>
        await store.RevokeApiKeyAsync(accountId, keyId, cancellationToken)
            ? Result<bool>.Ok(true)
            : Result<bool>.NotFound($"Account {accountId} has no key {keyId}.");
}
