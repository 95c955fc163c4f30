namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public override Task<int> RenewLeasesAsync(IReadOnlyList<string> deliveryIds, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var (until, at) = (leaseUntil.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        return UpdateEachAsync(deliveryIds, "UPDATE deliveries SET lease_until = ?2 WHERE id = ?1 AND status = 'pending' AND lease_until > ?3",
            statement => statement.Bind(2, until).Bind(3, at), cancellationToken);
    }

    public override Task<int> ReleaseLeasesAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken = default) =>
        UpdateEachAsync(deliveryIds, "UPDATE deliveries SET lease_until = 0 WHERE id = ?1 AND status = 'pending' AND lease_until > 0",
            null, cancellationToken);

    /// <summary>One file, one node: whatever holds a lease at start is the previous process, which is gone.</summary>
    public override async Task<int> RecoverLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var released = await session.ExecuteAsync(
            "UPDATE deliveries SET lease_until = 0 WHERE status = 'pending' AND lease_until > 0", null, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return released;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per delivery id (bound as <c>?1</c>; <paramref name="bind"/> binds the rest) in
    /// one write session, through its compiled statement; the rows it changed.
    /// </summary>
    private async Task<int> UpdateEachAsync(
        IReadOnlyList<string> deliveryIds, string sql, Func<SqliteRawStatement, SqliteRawStatement>? bind, CancellationToken cancellationToken)
    {
        if (deliveryIds.Count == 0)
        {
            return 0;
        }
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var changed = 0;
        foreach (var id in deliveryIds)
        {
            var statement = session.Raw(sql).Bind(1, id);
            changed += (bind?.Invoke(statement) ?? statement).Execute();
        }
        await session.CommitAsync(cancellationToken);
        return changed;
    }
}
