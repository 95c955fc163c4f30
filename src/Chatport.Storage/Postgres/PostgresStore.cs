using System.Data.Common;
using Chatport.Storage.Relational;
using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// The shared store: one PostgreSQL database that several stateless nodes use at once. Where the SQLite dialect
/// relies on its single writer, this one locks rows (<c>FOR UPDATE</c>, <c>FOR UPDATE SKIP LOCKED</c> for claims)
/// or resolves races in one statement (<c>INSERT … ON CONFLICT</c>). Timestamps are <c>bigint</c> epoch ms and
/// bodies <c>bytea</c>, as in SQLite, so the SQL and rows of <see cref="RelationalStore"/> serve both; here is only what
/// PostgreSQL does its own way. Split into partial files by concern.
/// </summary>
/// <remarks>
/// <para>The data source belongs to the caller (it is shared with the outbox listener); the store does not dispose it.</para>
/// <para>
/// No caller's token reaches Npgsql, by design: Npgsql cancels a running command by opening a second connection
/// and waiting for the server's answer synchronously, on the thread that cancelled — clients closing
/// their connections mid-request would do that for every in-flight request at once, until no thread is left to
/// answer anything. And a write that has reached the database must commit or roll back on its own terms, not because
/// a client left. So every statement here runs to its end, bounded instead by the server's
/// <c>statement_timeout</c> and the waits <see cref="PostgresDataSource"/> sets.
/// </para>
/// </remarks>
internal sealed partial class PostgresStore(NpgsqlDataSource dataSource, TimeProvider time)
    : RelationalStore(new PostgresDialect(), time), Deliveries.IOutboxListener
{
    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await PostgresMigrations.ApplyAsync(connection, NowMs(), cancellationToken);
    }

    /// <summary>
    /// Waits for <c>NOTIFY chatport_outbox</c> on a dedicated connection of this store's data source;
    /// see <see cref="PostgresOutboxSignal.ListenAsync"/>.
    /// </summary>
    public Task ListenAsync(Func<Task> onNotification, CancellationToken cancellationToken) =>
        PostgresOutboxSignal.ListenAsync(dataSource, onNotification, cancellationToken);

    // No token (see the remarks above): the wait for a connection is bounded by the connection string's Timeout.
    private ValueTask<NpgsqlConnection> OpenNpgsqlAsync() => dataSource.OpenConnectionAsync();

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenNpgsqlAsync();
}
