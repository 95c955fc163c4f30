using Chatport.Storage.Sources;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string SourceColumns = "id, account_id, name, auth, token, username, secret, created_at";

    public async Task CreateSourceAsync(HookSource source, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand(
            $"INSERT INTO sources ({SourceColumns}) VALUES (@id, @account, @name, @auth, @token, @username, @secret, @created)", connection);
        command.Parameters.AddText("id", source.Id);
        command.Parameters.AddBigint("account", source.AccountId);
        command.Parameters.AddText("name", source.Name);
        command.Parameters.AddText("auth", source.Auth);
        command.Parameters.AddText("token", source.Token);
        command.Parameters.AddText("username", source.Username);
        command.Parameters.AddText("secret", source.Secret);
        command.Parameters.AddTime("created", source.CreatedAt);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<HookSource?> GetSourceAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var sources = await QuerySourcesAsync("id = @value AND account_id = @account", id, accountId, cancellationToken);
        return sources.Count == 0 ? null : sources[0];
    }

    public async Task<HookSource?> FindSourceByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        var sources = await QuerySourcesAsync("token = @value", token, null, cancellationToken);
        return sources.Count == 0 ? null : sources[0];
    }

    public Task<IReadOnlyList<HookSource>> ListSourcesAsync(long accountId, CancellationToken cancellationToken = default) =>
        QuerySourcesAsync("account_id = @account", null, accountId, cancellationToken);

    public async Task<bool> DeleteSourceAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("DELETE FROM sources WHERE id = @id AND account_id = @account", connection);
        command.Parameters.AddText("id", id);
        command.Parameters.AddBigint("account", accountId);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private async Task<IReadOnlyList<HookSource>> QuerySourcesAsync(string where, string? value, long? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand($"SELECT {SourceColumns} FROM sources WHERE {where} ORDER BY created_at, id", connection);
        if (value is not null)
        {
            command.Parameters.AddText("value", value);
        }
        if (accountId is not null)
        {
            command.Parameters.AddBigint("account", accountId);
        }
        var list = new List<HookSource>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(ReadSource(reader));
        }
        return list;
    }

    private static HookSource ReadSource(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
        NullableString(r, 5), NullableString(r, 6), Time(r, 7));
}
