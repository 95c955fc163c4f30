using System.Data.Common;
using Chatport.Storage.Deliveries;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    public async Task<bool> ReplayDeliveryAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ReplayAsync("UPDATE deliveries SET status = 'pending', next_attempt_at = @now, lease_until = 0 WHERE id = @id", command =>
        {
            command.AddText("@id", id);
            command.AddTime("@now", now);
        }, cancellationToken) == 1;

    public Task<int> ReplayDestinationAsync(long accountId, string destinationId, ReplayFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReplayAsync("""
            UPDATE deliveries SET status = 'pending', next_attempt_at = @now, lease_until = 0
            WHERE account_id = @account AND destination_id = @destination
              AND (@since IS NULL OR created_at >= @since) AND (@until IS NULL OR created_at < @until)
              AND (@status IS NULL OR status = @status)
            """, command =>
        {
            command.AddTime("@now", now);
            command.AddBigint("@account", accountId);
            command.AddText("@destination", destinationId);
            command.AddTime("@since", filter.Since);
            command.AddTime("@until", filter.Until);
            command.AddText("@status", filter.Status);
        }, cancellationToken);

    /// <summary>Makes deliveries pending and due again in one write session, which tells the other nodes as it commits.</summary>
    private async Task<int> ReplayAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var session = await BeginWriteAsync(cancellationToken);
        var changed = await session.ExecuteAsync(sql, bind, cancellationToken);
        await session.OutboxChangedAsync();
        await session.CommitAsync(cancellationToken);
        return changed;
    }
}
