using System.Data.Common;

namespace Chatport.Storage.Relational;

/// <summary>
/// What a database spells or binds its own way inside the SQL and rows <see cref="RelationalStore"/> shares: one
/// stateless instance per store. What a database does differently (locking, notifying, its fast paths) is not
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
    /// The latest body of the conversation <c>c</c> (a row of <c>conversations</c>). SQLite keeps a body once, in its
    /// version's row; PostgreSQL keeps the latest on the conversation's row too, where its upsert compares it.
    /// </summary>
    public abstract string ConversationBody { get; }

    /// <summary>
    /// The condition that the body bytes <paramref name="body"/>, read as UTF-8 text, match the <c>LIKE</c> pattern
    /// bound as <paramref name="parameter"/> (escaped with <c>\</c>) ignoring case: SQLite's <c>LIKE</c> folds
    /// ASCII case only, PostgreSQL's <c>ILIKE</c> more.
    /// </summary>
    public abstract string BodyLike(string body, string parameter);

    /// <summary>
    /// Binds a list of kinds (or of retry delays): SQLite keeps one text column <c>,a,b,</c> (see
    /// <see cref="Sqlite.SqliteKinds"/>), PostgreSQL a <c>text[]</c>.
    /// </summary>
    public abstract void AddKinds(DbCommand command, string name, IReadOnlyList<string> kinds);

    /// <summary>Reads a column that <see cref="AddKinds"/> wrote.</summary>
    public abstract IReadOnlyList<string> ReadKinds(DbDataReader reader, int ordinal);

    /// <summary>The condition that the kinds in <paramref name="column"/> include the one bound by <see cref="AddKind"/> as <paramref name="parameter"/> (<c>@name</c>).</summary>
    public abstract string HasKind(string column, string parameter);

    /// <summary>Binds one kind for <see cref="HasKind"/>; null binds a null.</summary>
    public abstract void AddKind(DbCommand command, string name, string? kind);

    /// <summary>
    /// Binds bytes the caller lends (an event's body): SQLite copies them into the array its parameters take,
    /// PostgreSQL sends them as they are.
    /// </summary>
    public abstract void AddBytes(DbCommand command, string name, ReadOnlyMemory<byte> value);

    /// <summary>
    /// Deletes the remembered message ids seen before <c>@before</c>. On a shared database a session skips the rows
    /// another one is pruning at that moment (housekeeping never waits); SQLite's single writer has no one to skip.
    /// </summary>
    public abstract string ForgetMessageIdsSql { get; }

    /// <summary>
    /// The token a statement runs with, given the caller's. SQLite stops a statement between steps when asked;
    /// PostgreSQL gets none, as <see cref="Postgres.PostgresStore"/> explains.
    /// </summary>
    public abstract CancellationToken CommandToken(CancellationToken requested);
}
