using Chatport.Storage.Deliveries;
using Chatport.Storage.Relational;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <summary>
    /// One statement: the due rows are locked with <c>FOR UPDATE SKIP LOCKED</c>, so claimers on other nodes pass
    /// over them instead of waiting, and a row another node leased meanwhile fails the re-checked
    /// <c>lease_until &lt;= now</c> (READ COMMITTED re-evaluates a locked row's condition on its newest version).
    /// Claims therefore never overlap.
    /// </summary>
    public override async Task<IReadOnlyList<DeliveryWork>> ClaimDueDeliveriesAsync(string destinationId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("""
            WITH claimed AS (
                UPDATE deliveries SET lease_until = @lease
                WHERE id IN (
                    SELECT d.id FROM deliveries d
                    JOIN conversation_versions v ON v.account_id = d.account_id AND v.chat_id = d.chat_id AND v.version = d.version
                    WHERE d.destination_id = @destination AND d.status = 'pending' AND d.next_attempt_at <= @now AND d.lease_until <= @now
                    ORDER BY d.next_attempt_at, d.id
                    LIMIT @limit
                    FOR UPDATE OF d SKIP LOCKED)
                RETURNING id, account_id, chat_id, version, kinds, attempts, created_at, next_attempt_at
            )
            SELECT c.id, c.account_id, c.chat_id, c.version, c.kinds, c.attempts, c.created_at, coalesce(v.export_body, v.body)
            FROM claimed c
            JOIN conversation_versions v ON v.account_id = c.account_id AND v.chat_id = c.chat_id AND v.version = c.version
            ORDER BY c.next_attempt_at, c.id
            """, connection);
        command.Parameters.AddText("destination", destinationId);
        command.Parameters.AddTime("now", now);
        command.Parameters.AddTime("lease", leaseUntil);
        command.Parameters.AddInteger("limit", limit);
        var work = new List<DeliveryWork>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            work.Add(new DeliveryWork(
                reader.GetString(0), reader.GetInt64(1), destinationId, reader.GetInt64(2), reader.GetInt32(3),
                reader.GetFieldValue<string[]>(4), reader.GetInt32(5), reader.GetTime(6), reader.GetFieldValue<byte[]>(7)));
        }
        return work;
    }

    /// <summary>
    /// The whole batch goes in one round trip (<see cref="NpgsqlBatch"/>) and one transaction, as a fixed handful of
    /// statements over arrays (<see cref="PostgresAttemptRows"/>). Rows are touched in id order (attempts, deliveries,
    /// then destinations), so two nodes recording batches that share a destination wait for each other rather than
    /// deadlock; each destination still sees its results in the order given.
    /// </summary>
    public override async Task RecordAttemptsAsync(IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken = default)
    {
        if (results.Count == 0)
        {
            return;
        }
        await using var connection = await OpenNpgsqlAsync();
        // No explicit transaction: the statements of one batch run in one implicit transaction, committed together
        // or not at all, in this one round trip.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in PostgresAttemptRows.Commands(results))
        {
            batch.BatchCommands.Add(command);
        }
        // Destination rows in id order (the lock order every node uses), one health change each.
        foreach (var (destination, change) in DestinationHealth.Of(results).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (change.LastSuccess is { } succeeded)
            {
                var success = Add(batch, "UPDATE destinations SET last_success_at = @at, failing_since = NULL, last_error = NULL WHERE id = @destination");
                success.Parameters.AddText("destination", destination);
                success.Parameters.AddTime("at", succeeded);
            }
            if (change.FailingSince is { } failed)
            {
                var failure = Add(batch, "UPDATE destinations SET failing_since = coalesce(failing_since, @at), last_error = @error WHERE id = @destination");
                failure.Parameters.AddText("destination", destination);
                failure.Parameters.AddTime("at", failed);
                failure.Parameters.AddText("error", change.LastError);
            }
        }
        // Rows the loop above has locked already (a result that disables is a failure: it has a health change).
        foreach (var r in results.Where(r => r.DisableDestination is not null).OrderBy(r => r.DestinationId, StringComparer.Ordinal))
        {
            var disable = Add(batch,
                "UPDATE destinations SET enabled = false, disabled_reason = @reason, updated_at = @at WHERE id = @destination AND enabled");
            disable.Parameters.AddText("destination", r.DestinationId);
            disable.Parameters.AddText("reason", r.DisableDestination!);
            disable.Parameters.AddTime("at", r.At);
        }
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }
}
