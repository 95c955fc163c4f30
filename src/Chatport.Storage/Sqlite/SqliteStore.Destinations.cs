using Chatport.Storage.Destinations;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    internal const string DestinationColumns = """
        id, account_id, kind, name, enabled, disabled_reason, kinds, timeout_seconds, retry_schedule, config, secrets,
        created_at, updated_at, last_success_at, failing_since
        """;

    public async Task CreateDestinationAsync(Destination destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO destinations ({DestinationColumns}) VALUES ($id, $account, $kind, $name, $enabled, $reason, $kinds, $timeout, $schedule, $config, $secrets, $created, $updated, $success, $failing)";
        BindDestination(command, destination);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Destination?> GetDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        var destination = await FindDestinationAsync(id, cancellationToken);
        return destination?.AccountId == accountId ? destination : null;
    }

    public async Task<Destination?> FindDestinationAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DestinationColumns} FROM destinations WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDestination(reader) : null;
    }

    public async Task<IReadOnlyList<Destination>> ListDestinationsAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AccountDestinationsSql;
        return await ReadDestinationsAsync(command, accountId, cancellationToken);
    }

    public async Task<bool> UpdateDestinationAsync(Destination destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE destinations SET kind = $kind, name = $name, enabled = $enabled, disabled_reason = $reason, kinds = $kinds,
                timeout_seconds = $timeout, retry_schedule = $schedule, config = $config, secrets = $secrets,
                updated_at = $updated, last_success_at = $success, failing_since = $failing
            WHERE id = $id AND account_id = $account
            """;
        BindDestination(command, destination);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteDestinationAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var deleted = await session.ExecuteAsync(
            "DELETE FROM destinations WHERE id = $id AND account_id = $account", cancellationToken, ("$id", id), ("$account", accountId)) == 1;
        if (deleted)
        {
            await session.ExecuteAsync(
                "DELETE FROM deliveries WHERE destination_id = $id AND status = 'pending'", cancellationToken, ("$id", id));
        }
        await session.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>An account's destinations (<c>$account</c>), oldest first.</summary>
    private const string AccountDestinationsSql = $"SELECT {DestinationColumns} FROM destinations WHERE account_id = $account ORDER BY created_at, id";

    /// <summary>An account's enabled destinations (<c>$account</c>), oldest first: what a stored conversation is delivered to.</summary>
    internal const string EnabledDestinationsSql =
        $"SELECT {DestinationColumns} FROM destinations WHERE account_id = $account AND enabled = 1 ORDER BY created_at, id";

    /// <summary>Runs <paramref name="command"/>, a selection of destinations by <c>$account</c> (it may be one the writer keeps compiled).</summary>
    internal static async Task<IReadOnlyList<Destination>> ReadDestinationsAsync(SqliteCommand command, long accountId, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("$account", accountId);
        var list = new List<Destination>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadDestination(reader));
        }
        return list;
    }

    private static void BindDestination(SqliteCommand command, Destination d)
    {
        command.Parameters.AddWithValue("$id", d.Id);
        command.Parameters.AddWithValue("$account", d.AccountId);
        command.Parameters.AddWithValue("$kind", d.Kind);
        command.Parameters.AddWithValue("$name", (object?)d.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$enabled", d.Enabled);
        command.Parameters.AddWithValue("$reason", (object?)d.DisabledReason ?? DBNull.Value);
        command.Parameters.AddWithValue("$kinds", SqliteKinds.ToColumn(d.Kinds));
        command.Parameters.AddWithValue("$timeout", d.TimeoutSeconds);
        command.Parameters.AddWithValue("$schedule", SqliteKinds.ToColumn(d.RetrySchedule));
        command.Parameters.AddWithValue("$config", d.Config);
        command.Parameters.AddWithValue("$secrets", (object?)d.Secrets ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", d.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$updated", d.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$success", (object?)d.LastSuccessAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$failing", (object?)d.FailingSince?.ToUnixTimeMilliseconds() ?? DBNull.Value);
    }

    private static Destination ReadDestination(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.GetBoolean(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        SqliteKinds.FromColumn(r.GetString(6)),
        r.GetInt32(7),
        SqliteKinds.FromColumn(r.GetString(8)),
        r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        Time(r, 13),
        Time(r, 14));

    internal static DateTimeOffset? Time(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
