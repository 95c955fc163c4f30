using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// Wakes the dispatchers of every node when deliveries become due, through PostgreSQL's <c>LISTEN/NOTIFY</c> on the
/// channel <see cref="Channel"/>. The store notifies by itself: a session that enqueued deliveries notifies as it
/// commits (never when it rolls back), and so does a replay. A notification is only a hint to poll now; it carries no
/// payload, and one can be lost (a listener reconnecting), so dispatchers keep their periodic poll as well.
/// </summary>
public static class PostgresOutboxSignal
{
    /// <summary>The channel: <c>chatport_outbox</c>. One per database, shared by every node and schema on it.</summary>
    public const string Channel = "chatport_outbox";

    /// <summary>
    /// Sends <c>NOTIFY chatport_outbox</c> on <paramref name="connection"/>. Inside a transaction, PostgreSQL delivers
    /// it at commit, once however many times it was sent, and drops it on rollback.
    /// </summary>
    public static async Task NotifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("NOTIFY " + Channel, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Listens on a dedicated connection of <paramref name="dataSource"/> until <paramref name="cancellationToken"/> is
    /// cancelled, then returns. <paramref name="onNotification"/> is called once as soon as the <c>LISTEN</c> is in
    /// place (so the caller catches up on work committed before it listened), then after each notification; several
    /// notifications arriving together may make one call. Calls never overlap; a slow callback delays the next one
    /// rather than losing it. Throws when the connection fails: call again (after a pause) to listen again.
    /// </summary>
    public static async Task ListenAsync(NpgsqlDataSource dataSource, Func<Task> onNotification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(onNotification);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var notified = false;
            connection.Notification += (_, _) => notified = true;
            await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
            {
                await listen.ExecuteNonQueryAsync();
            }
            await onNotification();
            while (true)
            {
                await connection.WaitAsync(cancellationToken); // raises Notification for what arrived, then returns
                if (notified)
                {
                    notified = false;
                    await onNotification();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The <c>NOTIFY</c> as a batch command, to send along with the statement that made work due.</summary>
    internal static NpgsqlBatchCommand NotifyCommand() => new("NOTIFY " + Channel);
}
