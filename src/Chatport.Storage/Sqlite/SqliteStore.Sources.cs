using Chatport.Storage.Sources;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    private const string SourceColumns = "id, account_id, name, auth, token, username, secret, created_at";

    public async Task CreateSourceAsync(HookSource source, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO sources ({SourceColumns}) VALUES ($id, $account, $name, $auth, $token, $username, $secret, $created)";
        command.Parameters.AddWithValue("$id", source.Id);
        command.Parameters.AddWithValue("$account", source.AccountId);
        command.Parameters.AddWithValue("$name", source.Name);
        command.Parameters.AddWithValue("$auth", source.Auth);
        command.Parameters.AddWithValue("$token", source.Token);
        command.Parameters.AddWithValue("$username", (object?)source.Username ?? DBNull.Value);
        command.Parameters.AddWithValue("$secret", (object?)source.Secret ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", source.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<HookSource?> GetSourceAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var sources = await QuerySourcesAsync("id = $value AND account_id = $account", id, accountId, cancellationToken);
        return sources.Count == 0 ? null : sources[0];
    }

    public async Task<HookSource?> FindSourceByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        var sources = await QuerySourcesAsync("token = $value", token, null, cancellationToken);
        return sources.Count == 0 ? null : sources[0];
    }

    public Task<IReadOnlyList<HookSource>> ListSourcesAsync(long accountId, CancellationToken cancellationToken = default) =>
        QuerySourcesAsync("account_id = $account", null, accountId, cancellationToken);

    public async Task<bool> DeleteSourceAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sources WHERE id = $id AND account_id = $account";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$account", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<HookSource>> QuerySourcesAsync(string where, string? value, long? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SourceColumns} FROM sources WHERE {where} ORDER BY created_at, id";
        command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        command.Parameters.AddWithValue("$account", (object?)accountId ?? DBNull.Value);
        var list = new List<HookSource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadSource(reader));
        }
        return list;
    }

    private static HookSource ReadSource(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)));
}
