using Chatport.Storage.Deliveries;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public override async Task<IReadOnlyList<DeliveryWork>> ClaimDueDeliveriesAsync(string destinationId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
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

    public override async Task RecordAttemptsAsync(IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken = default)
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
            "UPDATE destinations SET last_success_at = $at, failing_since = NULL, last_error = NULL WHERE id = $destination");
        await using var failure = session.CreateCommand(
            "UPDATE destinations SET failing_since = coalesce(failing_since, $at), last_error = $error WHERE id = $destination");
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
                Bind(failure, ("$destination", destination), ("$at", failed.ToUnixTimeMilliseconds()), ("$error", change.LastError));
                await failure.ExecuteNonQueryAsync(cancellationToken);
            }
        }
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
}
