namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    // Each a bounded batch by an index (events_by_received_at; the attempts' primary key, delivery ids sorting by
    // creation), so a pass never scans the table nor holds the write lock long.
    private const string PruneEventsSql = """
        DELETE FROM events WHERE (account_id, id) IN (
            SELECT account_id, id FROM events WHERE received_at < @before ORDER BY received_at LIMIT @limit)
        """;

    private const string PruneAttemptsSql = """
        DELETE FROM delivery_attempts WHERE (delivery_id, number) IN (
            SELECT delivery_id, number FROM delivery_attempts WHERE delivery_id < @bound AND at < @before ORDER BY delivery_id LIMIT @limit)
        """;

    public async Task<(int Events, int Attempts)> PruneAsync(DateTimeOffset before, string deliveryIdBound, int limit, CancellationToken cancellationToken = default)
    {
        var events = await ExecuteAsync(PruneEventsSql, command =>
        {
            command.AddTime("@before", before);
            command.AddInteger("@limit", limit);
        }, cancellationToken);
        var attempts = await ExecuteAsync(PruneAttemptsSql, command =>
        {
            command.AddText("@bound", deliveryIdBound);
            command.AddTime("@before", before);
            command.AddInteger("@limit", limit);
        }, cancellationToken);
        return (events, attempts);
    }
}
