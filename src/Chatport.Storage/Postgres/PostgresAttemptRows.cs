using Chatport.Storage.Deliveries;
using Npgsql;
using NpgsqlTypes;

namespace Chatport.Storage.Postgres;

/// <summary>
/// A batch of attempt results as three statements over arrays (<c>unnest</c>), whatever its size: the attempts'
/// upsert, a lock of their deliveries in id order, and the deliveries' update. Each statement takes its rows in id
/// order, as every node does, so two nodes recording batches that share rows wait for each other rather than deadlock.
/// </summary>
internal static class PostgresAttemptRows
{
    public static IEnumerable<NpgsqlBatchCommand> Commands(IReadOnlyList<AttemptResult> results)
    {
        // One attempt row per (delivery, number): the last result given for it, as one upsert after another would leave.
        var attempts = new Dictionary<(string, int), AttemptResult>();
        // One delivery row per delivery: the last result given for it, with the highest attempt number of them all.
        var deliveries = new Dictionary<string, (AttemptResult Last, int Attempts)>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            attempts[(r.DeliveryId, r.Number)] = r;
            deliveries[r.DeliveryId] = (r, deliveries.TryGetValue(r.DeliveryId, out var before) ? Math.Max(before.Attempts, r.Number) : r.Number);
        }
        yield return AttemptsUpsert([.. attempts.Values]);
        var ids = deliveries.Keys.ToArray();
        var lockRows = new NpgsqlBatchCommand("SELECT 1 FROM deliveries WHERE id = ANY(@ids) ORDER BY id FOR UPDATE");
        lockRows.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, ids);
        yield return lockRows;
        yield return DeliveriesUpdate(ids, [.. deliveries.Values]);
    }

    private static NpgsqlBatchCommand AttemptsUpsert(AttemptResult[] rows)
    {
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO delivery_attempts (delivery_id, number, at, status_code, latency_ms, error, response)
            SELECT r.id, r.number, r.at, r.code, r.latency, r.error, r.response
            FROM unnest(@ids, @numbers, @ats, @codes, @latencies, @errors, @responses) AS r (id, number, at, code, latency, error, response)
            ORDER BY r.id COLLATE "C", r.number
            ON CONFLICT (delivery_id, number) DO UPDATE SET
                at = excluded.at, status_code = excluded.status_code, latency_ms = excluded.latency_ms,
                error = excluded.error, response = excluded.response
            """);
        upsert.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.DeliveryId).ToArray());
        upsert.Parameters.AddWithValue("numbers", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Select(r => r.Number).ToArray());
        upsert.Parameters.AddWithValue("ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => r.At.ToUnixTimeMilliseconds()).ToArray());
        upsert.Parameters.AddWithValue("codes", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Select(r => r.StatusCode).ToArray());
        upsert.Parameters.AddWithValue("latencies", NpgsqlDbType.Array | NpgsqlDbType.Double, rows.Select(r => r.LatencyMs).ToArray());
        upsert.Parameters.AddWithValue("errors", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Error).ToArray());
        upsert.Parameters.AddWithValue("responses", NpgsqlDbType.Array | NpgsqlDbType.Bytea, rows.Select(r => r.Response).ToArray());
        return upsert;
    }

    private static NpgsqlBatchCommand DeliveriesUpdate(string[] ids, (AttemptResult Last, int Attempts)[] rows)
    {
        var update = new NpgsqlBatchCommand("""
            UPDATE deliveries d SET status = r.status, attempts = greatest(d.attempts, r.attempts), last_attempt_at = r.at,
                last_status_code = r.code, last_error = r.error, next_attempt_at = r.next, lease_until = 0
            FROM unnest(@ids, @statuses, @attempts, @ats, @codes, @errors, @nexts) AS r (id, status, attempts, at, code, error, next)
            WHERE d.id = r.id
            """);
        update.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, ids);
        update.Parameters.AddWithValue("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Last.Status).ToArray());
        update.Parameters.AddWithValue("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Select(r => r.Attempts).ToArray());
        update.Parameters.AddWithValue("ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => r.Last.At.ToUnixTimeMilliseconds()).ToArray());
        update.Parameters.AddWithValue("codes", NpgsqlDbType.Array | NpgsqlDbType.Integer, rows.Select(r => r.Last.StatusCode).ToArray());
        update.Parameters.AddWithValue("errors", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Last.Error).ToArray());
        update.Parameters.AddWithValue("nexts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => r.Last.NextAttemptAt?.ToUnixTimeMilliseconds()).ToArray());
        return update;
    }
}
