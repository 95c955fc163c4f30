using Chatport.Storage.Deliveries;
using Chatport.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    private const string DeliveryColumns = """
        d.id, d.account_id, d.destination_id, d.chat_id, d.version, d.kinds, d.status, d.attempts, d.created_at,
        d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error
        """;

    public async Task<IReadOnlyList<string>> DestinationsWithDueDeliveriesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.id FROM destinations t
            WHERE t.enabled = 1 AND EXISTS (
                SELECT 1 FROM deliveries d
                WHERE d.destination_id = t.id AND d.status = 'pending' AND d.next_attempt_at <= $now AND d.lease_until <= $now)
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public async Task<IReadOnlyList<DeliveryWork>> ClaimDueDeliveriesAsync(string destinationId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var work = new List<DeliveryWork>();
        // Through SqliteRawStatement: a burst that outruns its lane claims thousands of rows a second here.
        var select = session.Raw("""
            SELECT d.id, d.account_id, d.chat_id, d.version, d.kinds, d.attempts, d.created_at, coalesce(v.export_body, v.body)
            FROM deliveries d
            JOIN conversation_versions v ON v.account_id = d.account_id AND v.chat_id = d.chat_id AND v.version = d.version
            WHERE d.destination_id = ?1 AND d.status = 'pending' AND d.next_attempt_at <= ?2 AND d.lease_until <= ?2
            ORDER BY d.next_attempt_at, d.id
            LIMIT ?3
            """).Bind(1, destinationId).Bind(2, now.ToUnixTimeMilliseconds()).Bind(3, limit);
        while (select.Read())
        {
            work.Add(new DeliveryWork(
                select.GetString(0), select.GetInt64(1), destinationId, select.GetInt64(2), (int)select.GetInt64(3),
                SqliteKinds.FromColumn(select.GetString(4)), (int)select.GetInt64(5),
                DateTimeOffset.FromUnixTimeMilliseconds(select.GetInt64(6)), select.GetBlob(7).ToArray()));
        }
        var lease = leaseUntil.ToUnixTimeMilliseconds();
        foreach (var item in work)
        {
            session.Raw("UPDATE deliveries SET lease_until = ?2 WHERE id = ?1").Bind(1, item.Id).Bind(2, lease).Execute();
        }
        await session.CommitAsync(cancellationToken);
        return work;
    }

    public async Task RecordAttemptsAsync(IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken = default)
    {
        if (results.Count == 0)
        {
            return;
        }
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        await WriteAttemptsAsync(session, results, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The statements of <see cref="RecordAttemptsAsync"/>, disposed before the commit: once the commit hands the
    /// writer connection to the next session, nothing of this one may touch it.
    /// </summary>
    private static async Task WriteAttemptsAsync(SqliteStoreSession session, IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken)
    {
        await using var success = session.CreateCommand(
            "UPDATE destinations SET last_success_at = $at, failing_since = NULL WHERE id = $destination");
        await using var failure = session.CreateCommand(
            "UPDATE destinations SET failing_since = coalesce(failing_since, $at) WHERE id = $destination");
        await using var disable = session.CreateCommand(
            "UPDATE destinations SET enabled = 0, disabled_reason = $reason, updated_at = $at WHERE id = $destination AND enabled = 1");
        foreach (var r in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = r.At.ToUnixTimeMilliseconds();
            session.Raw("""
                INSERT OR REPLACE INTO delivery_attempts (delivery_id, number, at, status_code, latency_ms, error, response)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """)
                .Bind(1, r.DeliveryId).Bind(2, r.Number).Bind(3, at).Bind(4, r.StatusCode).Bind(5, r.LatencyMs).Bind(6, r.Error)
                .BindBlob(7, r.Response)
                .Execute();
            session.Raw("""
                UPDATE deliveries SET status = ?2, attempts = max(attempts, ?3), last_attempt_at = ?4, last_status_code = ?5,
                    last_error = ?6, next_attempt_at = ?7, lease_until = 0
                WHERE id = ?1
                """)
                .Bind(1, r.DeliveryId).Bind(2, r.Status).Bind(3, r.Number).Bind(4, at).Bind(5, r.StatusCode).Bind(6, r.Error)
                .Bind(7, r.NextAttemptAt?.ToUnixTimeMilliseconds())
                .Execute();
            if (r.DisableDestination is { } reason)
            {
                Bind(disable, ("$destination", r.DestinationId), ("$reason", reason), ("$at", at));
                await disable.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        foreach (var (destination, change) in DestinationHealth.Of(results))
        {
            if (change.LastSuccess is { } succeeded)
            {
                Bind(success, ("$destination", destination), ("$at", succeeded.ToUnixTimeMilliseconds()));
                await success.ExecuteNonQueryAsync(cancellationToken);
            }
            if (change.FailingSince is { } failed)
            {
                Bind(failure, ("$destination", destination), ("$at", failed.ToUnixTimeMilliseconds()));
                await failure.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public async Task<DeliveryRecord?> GetDeliveryAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries d WHERE d.id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDelivery(reader) : null;
    }

    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, at, status_code, latency_ms, error, response FROM delivery_attempts WHERE delivery_id = $id ORDER BY number";
        command.Parameters.AddWithValue("$id", deliveryId);
        var attempts = new List<AttemptRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new AttemptRecord(
                reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5)));
        }
        return attempts;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "d.account_id = $account" };
        command.Parameters.AddWithValue("$account", query.AccountId);
        if (query.Status is { } status)
        {
            where.Add("d.status = $status");
            command.Parameters.AddWithValue("$status", status);
        }
        if (query.DestinationId is { } destination)
        {
            where.Add("d.destination_id = $destination");
            command.Parameters.AddWithValue("$destination", destination);
        }
        if (query.Before is { } before)
        {
            where.Add("d.id < $before");
            command.Parameters.AddWithValue("$before", before);
        }
        command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries d WHERE {string.Join(" AND ", where)} ORDER BY d.id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit);
        var list = new List<DeliveryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadDelivery(reader));
        }
        return list;
    }

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), min(created_at) FROM deliveries WHERE status = 'pending'";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueStats(reader.GetInt64(0), reader.GetTimeOrNull(1));
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }

    private static DeliveryRecord ReadDelivery(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt32(4),
        SqliteKinds.FromColumn(r.GetString(5)), r.GetString(6), r.GetInt32(7),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.GetTimeOrNull(9), r.GetTimeOrNull(10),
        r.IsDBNull(11) ? null : r.GetInt32(11), r.IsDBNull(12) ? null : r.GetString(12));
}
