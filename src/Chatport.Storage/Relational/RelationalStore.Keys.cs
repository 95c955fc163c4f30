using System.Data.Common;
using Chatport.Storage.Keys;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private const string KeyColumns = "id, account_id, name, prefix, hash, created_at, revoked_at";

    public async Task<ApiKeyRecord> CreateApiKeyAsync(string id, long accountId, string name, string prefix, byte[] hash, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        await ExecuteAsync("""
            INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at)
            VALUES (@id, @account, @name, @prefix, @hash, @now)
            """, command =>
        {
            command.AddText("@id", id);
            command.AddBigint("@account", accountId);
            command.AddText("@name", name);
            command.AddText("@prefix", prefix);
            command.AddBytes("@hash", hash);
            command.AddBigint("@now", now);
        }, cancellationToken);
        return new ApiKeyRecord(id, accountId, name, prefix, hash, DateTimeOffset.FromUnixTimeMilliseconds(now), null);
    }

    /// <summary>Keys by hash, read on every request with an account key (see <see cref="LookupCache{TValue}"/>).</summary>
    private readonly LookupCache<ApiKeyRecord> KeysByHash = new(time);

    public Task<ApiKeyRecord?> FindApiKeyAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        KeysByHash.GetOrReadAsync(Convert.ToBase64String(hash), () =>
            QueryFirstAsync($"SELECT {KeyColumns} FROM api_keys WHERE hash = @hash", command => command.AddBytes("@hash", hash), ReadKey, cancellationToken));

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE account_id = @account ORDER BY created_at, id",
            command => command.AddBigint("@account", accountId), ReadKey, cancellationToken);

    public async Task<bool> RevokeApiKeyAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        var revoked = await ExecuteAsync("UPDATE api_keys SET revoked_at = coalesce(revoked_at, @now) WHERE account_id = @account AND id = @id", command =>
        {
            command.AddBigint("@now", now);
            BindAccountRow(command, accountId, id);
        }, cancellationToken) == 1;
        KeysByHash.Clear(); // after the update: a read racing it may have kept the live row
        return revoked;
    }

    private static ApiKeyRecord ReadKey(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetByteArray(4),
        reader.GetTime(5),
        reader.GetTimeOrNull(6));
}
