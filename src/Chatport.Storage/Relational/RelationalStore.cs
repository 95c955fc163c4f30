using System.Data.Common;
using Chatport.Storage.Accounts;
using Chatport.Storage.Deliveries;

namespace Chatport.Storage.Relational;

/// <summary>
/// The store's database-neutral core, after the split of Quartz.NET's <c>StdAdoDelegate</c> and Wolverine's
/// <c>MessageDatabase</c>: the SQL both databases run alike, its parameters and the mapping of its rows, over plain
/// ADO.NET (<see cref="DbConnection"/>, <see cref="DbCommand"/>, <see cref="DbDataReader"/>). SQLite and PostgreSQL
/// each derive from it. Split into partial files by concern; <see cref="RelationalStoreSession"/> is its session.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shared</b>: every read (accounts, API keys, sources, destinations, conversations, open chats, the delivery log,
/// queue stats, due destinations), the plain writes (keys, sources, destinations, replays, a destination's delete
/// with its pending deliveries), a session's statements for the account, events, chat state, routing and message
/// ids, and the migration runner (<see cref="SchemaMigrator"/>). The SQL names its parameters <c>@name</c>, which
/// Microsoft.Data.Sqlite and Npgsql both accept, bound with their type (<see cref="CommandParameters"/>); both
/// databases keep times as <c>bigint</c> epoch ms and spell upserts alike (<c>ON CONFLICT … DO UPDATE SET x =
/// excluded.x</c>), so one text and one mapping serve both.
/// </para>
/// <para>
/// <b>Spelled by the dialect</b> (<see cref="RelationalDialect"/>): flag literals (SQLite's integers, as its partial
/// indexes are written, against <c>boolean</c>), lists of kinds (a <c>,a,b,</c> text column searched with
/// <c>instr</c> against <c>text[]</c> and <c>= ANY</c>), where a conversation's latest body is kept, bytes a caller
/// lends, how old message ids are pruned (skipping locked rows on a shared database), and whether a caller's
/// cancellation reaches the driver.
/// </para>
/// <para>
/// <b>Done by the dialect</b> (the abstract members here and in the session): connections and sessions (SQLite's one
/// writer with group commit, PostgreSQL's transaction per session); what several nodes racing on PostgreSQL need (the
/// <c>FOR UPDATE SKIP LOCKED</c> claim, the chat lock, the versioning upsert, <c>xmax</c> for an account upsert, lease
/// updates over arrays, <c>NOTIFY</c>); what SQLite's measured fast paths do instead (<c>SqliteRawStatement</c> for
/// the conversation write, enqueue, claim and attempt batch, the writer's statement cache, its WAL syncing and
/// checkpoints); and each database's DDL and migration lock.
/// </para>
/// </remarks>
internal abstract partial class RelationalStore(RelationalDialect dialect, TimeProvider time) : IChatportStore
{
    internal RelationalDialect Dialect { get; } = dialect;

    /// <summary>A connection of its own for one operation, open; the caller disposes it.</summary>
    private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    // What each dialect does its own way (see the remarks above).
    public abstract Task<IStoreSession> BeginAsync(CancellationToken cancellationToken = default);

    public abstract Task MigrateAsync(CancellationToken cancellationToken = default);

    public abstract Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<DeliveryWork>> ClaimDueDeliveriesAsync(
        string destinationId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    public abstract Task RecordAttemptsAsync(IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken = default);

    public abstract Task<int> RenewLeasesAsync(
        IReadOnlyList<string> deliveryIds, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    public abstract Task<int> ReleaseLeasesAsync(IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken = default);

    public abstract Task<int> RecoverLeasesAsync(CancellationToken cancellationToken = default);

    /// <summary>The query a ping round-trips.</summary>
    private protected const string PingSql = "SELECT count(*) FROM schema_migrations";

    public virtual Task PingAsync(CancellationToken cancellationToken = default) =>
        RunAsync(PingSql, null, static (command, token) => command.ExecuteScalarAsync(token), cancellationToken);

    /// <summary>A session for the store's own writes that belong in one transaction (in SQLite, the writer's).</summary>
    private protected async Task<RelationalStoreSession> BeginWriteAsync(CancellationToken cancellationToken) =>
        (RelationalStoreSession)await BeginAsync(cancellationToken);

    private protected long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
