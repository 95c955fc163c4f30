using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <summary>One statement for the whole list; rows are locked in id order, as the recorder locks them.</summary>
    public override async Task<int> RenewLeasesAsync(IReadOnlyList<string> deliveryIds, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0)
        {
            return 0;
        }
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("""
            UPDATE deliveries SET lease_until = @lease
            WHERE id IN (SELECT id FROM deliveries WHERE id = ANY(@ids) AND status = 'pending' AND lease_until > @now ORDER BY id FOR UPDATE)
            """, connection);
        command.Parameters.AddTextArray("ids", deliveryIds);
        command.Parameters.AddTime("now", now);
        command.Parameters.AddTime("lease", leaseUntil);
        return await command.ExecuteNonQueryAsync();
    }

    public override async Task<int> ReleaseLeasesAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0)
        {
            return 0;
        }
        await using var connection = await OpenNpgsqlAsync();
        await using var batch = new NpgsqlBatch(connection);
        var release = Add(batch, """
            UPDATE deliveries SET lease_until = 0
            WHERE id IN (SELECT id FROM deliveries WHERE id = ANY(@ids) AND status = 'pending' AND lease_until > 0 ORDER BY id FOR UPDATE)
            """);
        release.Parameters.AddTextArray("ids", deliveryIds);
        batch.BatchCommands.Add(PostgresOutboxSignal.NotifyCommand()); // the other nodes take them at once
        await batch.ExecuteNonQueryAsync();
        return (int)release.RecordsAffected;
    }

    /// <summary>Shared by several nodes: a lease here may be a live node's, so none is taken back at start.</summary>
    public override Task<int> RecoverLeasesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
}
