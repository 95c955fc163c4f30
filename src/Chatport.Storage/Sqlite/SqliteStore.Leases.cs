namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public async Task<int> RenewLeasesAsync(IReadOnlyList<string> deliveryIds, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0)
        {
            return 0;
        }
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var renewed = 0;
        foreach (var id in deliveryIds)
        {
            renewed += session.Raw("UPDATE deliveries SET lease_until = ?2 WHERE id = ?1 AND status = 'pending' AND lease_until > ?3")
                .Bind(1, id).Bind(2, leaseUntil.ToUnixTimeMilliseconds()).Bind(3, now.ToUnixTimeMilliseconds()).Execute();
        }
        await session.CommitAsync(cancellationToken);
        return renewed;
    }

    public async Task<int> ReleaseLeasesAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0)
        {
            return 0;
        }
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var released = 0;
        foreach (var id in deliveryIds)
        {
            released += session.Raw("UPDATE deliveries SET lease_until = 0 WHERE id = ?1 AND status = 'pending' AND lease_until > 0")
                .Bind(1, id).Execute();
        }
        await session.CommitAsync(cancellationToken);
        return released;
    }

    /// <summary>One file, one node: whatever holds a lease at start is the previous process, which is gone.</summary>
    public async Task<int> RecoverLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var session = (SqliteStoreSession)await BeginAsync(cancellationToken);
        var released = await session.ExecuteAsync(
            "UPDATE deliveries SET lease_until = 0 WHERE status = 'pending' AND lease_until > 0", null, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return released;
    }
}
