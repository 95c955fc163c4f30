using Chatport.Storage.Keys;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string KeyColumns = "id, account_id, name, prefix, hash, created_at, revoked_at";

    public async Task<ApiKeyRecord> CreateApiKeyAsync(string id, long accountId, string name, string prefix, byte[] hash, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at)
            VALUES (@id, @account, @name, @prefix, @hash, @now)
            """, connection);
        command.Parameters.AddText("id", id);
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddText("name", name);
        command.Parameters.AddText("prefix", prefix);
        command.Parameters.AddBytea("hash", hash);
        command.Parameters.AddBigint("now", now);
        await command.ExecuteNonQueryAsync();
        return new ApiKeyRecord(id, accountId, name, prefix, hash, DateTimeOffset.FromUnixTimeMilliseconds(now), null);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {KeyColumns} FROM api_keys WHERE hash = @hash", connection);
        command.Parameters.AddBytea("hash", hash);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {KeyColumns} FROM api_keys WHERE account_id = @account ORDER BY created_at, id", connection);
        command.Parameters.AddBigint("account", accountId);
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(ReadKey(reader));
        }
        return keys;
    }

    public async Task<bool> RevokeApiKeyAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE api_keys SET revoked_at = coalesce(revoked_at, @now) WHERE account_id = @account AND id = @id", connection);
        command.Parameters.AddBigint("now", NowMs());
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddText("id", id);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static ApiKeyRecord ReadKey(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<byte[]>(4),
        Time(reader, 5),
        NullableTime(reader, 6));
}
