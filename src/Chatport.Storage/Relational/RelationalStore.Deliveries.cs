using System.Data.Common;
using Chatport.Storage.Deliveries;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private const string DeliveryColumns = """
        d.id, d.account_id, d.destination_id, d.chat_id, d.version, d.kinds, d.status, d.attempts, d.created_at,
        d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error
        """;

    private readonly string _dueDestinationsSql = $"""
        SELECT t.id FROM destinations t
        WHERE t.enabled = {dialect.True} AND EXISTS (
            SELECT 1 FROM deliveries d
            WHERE d.destination_id = t.id AND d.status = 'pending' AND d.next_attempt_at <= @now AND d.lease_until <= @now)
        ORDER BY t.id
        """;

    public async Task<IReadOnlyList<string>> DestinationsWithDueDeliveriesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await QueryAsync(_dueDestinationsSql, command => command.AddTime("@now", now), static reader => reader.GetString(0), cancellationToken);

    public Task<DeliveryRecord?> GetDeliveryAsync(string id, CancellationToken cancellationToken = default) =>
        QueryFirstAsync($"SELECT {DeliveryColumns} FROM deliveries d WHERE d.id = @id", command => command.AddText("@id", id), ReadDelivery, cancellationToken);

    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT number, at, status_code, latency_ms, error, response FROM delivery_attempts WHERE delivery_id = @id ORDER BY number",
            command => command.AddText("@id", deliveryId), ReadAttempt, cancellationToken);

    /// <summary>Filters left out bind their parameters all the same (as nulls), which no statement then reads.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        var where = "d.account_id = @account"
            + (query.Status is null ? "" : " AND d.status = @status")
            + (query.DestinationId is null ? "" : " AND d.destination_id = @destination")
            + (query.Before is null ? "" : " AND d.id < @before")
            + (query.From is null ? "" : " AND d.created_at >= @from")
            + (query.To is null ? "" : " AND d.created_at < @to");
        return await QueryAsync($"SELECT {DeliveryColumns} FROM deliveries d WHERE {where} ORDER BY d.id DESC LIMIT @limit", command =>
        {
            command.AddBigint("@account", query.AccountId);
            command.AddText("@status", query.Status);
            command.AddText("@destination", query.DestinationId);
            command.AddText("@before", query.Before);
            command.AddTime("@from", query.From);
            command.AddTime("@to", query.To);
            command.AddInteger("@limit", query.Limit);
        }, ReadDelivery, cancellationToken);
    }

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken = default) =>
        await QueryFirstAsync("SELECT count(*), min(created_at) FROM deliveries WHERE status = 'pending'", null,
            static reader => new QueueStats(reader.GetInt64(0), reader.GetTimeOrNull(1)), cancellationToken)
        ?? throw new InvalidOperationException("An aggregate returned no row.");

    /// <summary>
    /// Per destination: the pending ones by <c>deliveries_pending_by_created</c> (its rows are the queue, the first the
    /// oldest), the settled ones by <c>deliveries_by_last_attempt</c> from <c>@since</c> on. Conversations by their end, the index both dialects keep
    /// (<c>conversations_by_end</c>: SQLite's on <c>end_at</c>, PostgreSQL's on <c>coalesce(end_at, 0)</c>; the two
    /// conditions say the same, each lets one of them range); <c>stored_at</c>, which has no index, would be a scan of
    /// the account's conversations.
    /// </summary>
    public async Task<LiveStats> GetLiveStatsAsync(
        long accountId, DateTimeOffset since, DateTimeOffset conversationsSince, CancellationToken cancellationToken = default)
    {
        var destinations = await QueryAsync("""
            SELECT t.id,
                (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending'),
                (SELECT min(d.created_at) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending'),
                (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.last_attempt_at >= @since AND d.status = 'succeeded'),
                (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.last_attempt_at >= @since AND d.status = 'failed')
            FROM destinations t WHERE t.account_id = @account ORDER BY t.id
            """, command =>
        {
            command.AddBigint("@account", accountId);
            command.AddTime("@since", since);
        }, static reader => new DestinationLiveStats(
            reader.GetString(0), reader.GetInt64(1), reader.GetTimeOrNull(2), reader.GetInt64(3), reader.GetInt64(4)), cancellationToken);
        var earliest = since < conversationsSince ? since : conversationsSince;
        var conversations = await QueryFirstAsync("""
            SELECT coalesce(sum(CASE WHEN c.end_at >= @since THEN 1 ELSE 0 END), 0),
                   coalesce(sum(CASE WHEN c.end_at >= @conversationsSince THEN 1 ELSE 0 END), 0)
            FROM conversations c
            WHERE c.account_id = @account AND c.end_at >= @earliest AND coalesce(c.end_at, 0) >= @earliest
            """, command =>
        {
            command.AddBigint("@account", accountId);
            command.AddTime("@since", since);
            command.AddTime("@conversationsSince", conversationsSince);
            command.AddTime("@earliest", earliest);
        }, static reader => new[] { reader.GetInt64(0), reader.GetInt64(1) }, cancellationToken)
            ?? throw new InvalidOperationException("An aggregate returned no row.");
        return new LiveStats(conversations[0], conversations[1], destinations);
    }

    private DeliveryRecord ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetInt32(4),
        Dialect.ReadKinds(reader, 5),
        reader.GetString(6),
        reader.GetInt32(7),
        reader.GetTime(8),
        reader.GetTimeOrNull(9),
        reader.GetTimeOrNull(10),
        reader.GetInt32OrNull(11),
        reader.GetStringOrNull(12));

    private static AttemptRecord ReadAttempt(DbDataReader reader) => new(
        reader.GetInt32(0),
        reader.GetTime(1),
        reader.GetInt32OrNull(2),
        reader.GetDouble(3),
        reader.GetStringOrNull(4),
        reader.GetByteArrayOrNull(5));
}
