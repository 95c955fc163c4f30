using Chatport.Storage.Relational;

namespace Chatport.Storage.Postgres;

/// <summary>PostgreSQL's spelling of the shared SQL and values (see <see cref="RelationalDialect"/>).</summary>
internal sealed class PostgresDialect : RelationalDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override string True => "true";

    public override string False => "false";

    /// <summary>None: a cancelled Npgsql command blocks the cancelling thread (see <see cref="PostgresStore"/>).</summary>
    public override CancellationToken CommandToken(CancellationToken requested) => CancellationToken.None;
}
