using Chatport.Storage.Destinations;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    internal const string DestinationColumns = """
        id, account_id, kind, name, enabled, disabled_reason, kinds, timeout_seconds, retry_schedule, config, secrets,
        created_at, updated_at, last_success_at, failing_since
        """;

    public async Task CreateDestinationAsync(Destination destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO destinations ({DestinationColumns})
            VALUES (@id, @account, @kind, @name, @enabled, @reason, @kinds, @timeout, @schedule, @config, @secrets,
                    @created, @updated, @success, @failing)
            """, connection);
        BindDestination(command, destination);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Destination?> GetDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var destination = await FindDestinationAsync(id, cancellationToken);
        return destination?.AccountId == accountId ? destination : null;
    }

    public async Task<Destination?> FindDestinationAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand($"SELECT {DestinationColumns} FROM destinations WHERE id = @id", connection);
        command.Parameters.AddText("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadDestination(reader) : null;
    }

    public async Task<IReadOnlyList<Destination>> ListDestinationsAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        return await ReadDestinationsAsync(connection, null, "account_id = @account", accountId, cancellationToken);
    }

    public async Task<bool> UpdateDestinationAsync(Destination destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("""
            UPDATE destinations SET kind = @kind, name = @name, enabled = @enabled, disabled_reason = @reason, kinds = @kinds,
                timeout_seconds = @timeout, retry_schedule = @schedule, config = @config, secrets = @secrets,
                updated_at = @updated, last_success_at = @success, failing_since = @failing
            WHERE id = @id AND account_id = @account
            """, connection);
        BindDestination(command, destination);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM destinations WHERE id = @id AND account_id = @account", connection, transaction);
        delete.Parameters.AddText("id", id);
        delete.Parameters.AddBigint("account", accountId);
        var deleted = await delete.ExecuteNonQueryAsync() == 1;
        if (deleted)
        {
            await using var pending = new NpgsqlCommand(
                "DELETE FROM deliveries WHERE destination_id = @id AND status = 'pending'", connection, transaction);
            pending.Parameters.AddText("id", id);
            await pending.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return deleted;
    }

    internal static async Task<IReadOnlyList<Destination>> ReadDestinationsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, long accountId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {DestinationColumns} FROM destinations WHERE {where} ORDER BY created_at, id", connection, transaction);
        command.Parameters.AddBigint("account", accountId);
        var list = new List<Destination>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(ReadDestination(reader));
        }
        return list;
    }

    private static void BindDestination(NpgsqlCommand command, Destination d)
    {
        var p = command.Parameters;
        p.AddText("id", d.Id);
        p.AddBigint("account", d.AccountId);
        p.AddText("kind", d.Kind);
        p.AddText("name", d.Name);
        p.AddBoolean("enabled", d.Enabled);
        p.AddText("reason", d.DisabledReason);
        p.AddTextArray("kinds", d.Kinds);
        p.AddInteger("timeout", d.TimeoutSeconds);
        p.AddTextArray("schedule", d.RetrySchedule);
        p.AddText("config", d.Config);
        p.AddText("secrets", d.Secrets);
        p.AddTime("created", d.CreatedAt);
        p.AddTime("updated", d.UpdatedAt);
        p.AddTime("success", d.LastSuccessAt);
        p.AddTime("failing", d.FailingSince);
    }

    private static Destination ReadDestination(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1),
        r.GetString(2),
        NullableString(r, 3),
        r.GetBoolean(4),
        NullableString(r, 5),
        r.GetFieldValue<string[]>(6),
        r.GetInt32(7),
        r.GetFieldValue<string[]>(8),
        r.GetString(9),
        NullableString(r, 10),
        Time(r, 11),
        Time(r, 12),
        NullableTime(r, 13),
        NullableTime(r, 14));
}
