namespace Chatport.Storage.Relational;

/// <summary>
/// What a database spells or binds its own way inside the SQL and rows <see cref="RelationalStore"/> shares: one
/// instance per database, stateless. What a database does differently (locking, notifying, its fast paths) is not
/// here but in its store and session.
/// </summary>
internal abstract class RelationalDialect
{
    /// <summary>
    /// The literals of a flag column. SQLite keeps flags as integers 1 and 0, and its partial index on open chats
    /// (<c>WHERE finished = 0</c>) serves a query only when it spells the condition that way; PostgreSQL has
    /// <c>boolean</c>. (Parameters need no such care: a <see cref="bool"/> binds as either.)
    /// </summary>
    public abstract string True { get; }

    /// <inheritdoc cref="True"/>
    public abstract string False { get; }

    /// <summary>
    /// The token a statement runs with, given the caller's. SQLite stops a statement between steps when asked;
    /// PostgreSQL gets none, as <see cref="Postgres.PostgresStore"/> explains.
    /// </summary>
    public abstract CancellationToken CommandToken(CancellationToken requested);
}
