namespace Chatport.Storage.Relational;

/// <summary>
/// What a database spells or binds its own way inside the SQL and rows <see cref="RelationalStore"/> shares: one
/// instance per database, stateless. What a database does differently (locking, notifying, its fast paths) is not
/// here but in its store and session.
/// </summary>
internal abstract class RelationalDialect
{
    /// <summary>
    /// The token a statement runs with, given the caller's. SQLite stops a statement between steps when asked;
    /// PostgreSQL gets none, as <see cref="Postgres.PostgresStore"/> explains.
    /// </summary>
    public abstract CancellationToken CommandToken(CancellationToken requested);
}
