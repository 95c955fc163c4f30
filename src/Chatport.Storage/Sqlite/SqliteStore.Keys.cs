using Chatport.Storage.Keys;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    private const string KeyColumns = "id, account_id, name, prefix, hash, created_at, revoked_at";

    public async Task<ApiKeyRecord> CreateApiKeyAsync(string id, long accountId, string name, string prefix, byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var now = NowMs();
        command.CommandText = """
            INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at)
            VALUES ($id, $account, $name, $prefix, $hash, $now)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$prefix", prefix);
        command.Parameters.Add("$hash", SqliteType.Blob).Value = hash;
        command.Parameters.AddWithValue("$now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ApiKeyRecord(id, accountId, name, prefix, hash, DateTimeOffset.FromUnixTimeMilliseconds(now), null);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns} FROM api_keys WHERE hash = $hash";
        command.Parameters.Add("$hash", SqliteType.Blob).Value = hash;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns} FROM api_keys WHERE account_id = $account ORDER BY created_at, id";
        command.Parameters.AddWithValue("$account", accountId);
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(ReadKey(reader));
        }
        return keys;
    }

    public async Task<bool> RevokeApiKeyAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $now) WHERE account_id = $account AND id = $id";
        command.Parameters.AddWithValue("$now", NowMs());
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static ApiKeyRecord ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        (byte[])reader.GetValue(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
