using Chatport.Storage.Relational;

namespace Chatport.Storage.Sqlite;

/// <summary>SQLite's spelling of the shared SQL and values (see <see cref="RelationalDialect"/>).</summary>
internal sealed class SqliteDialect : RelationalDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override string True => "1";

    public override string False => "0";

    public override CancellationToken CommandToken(CancellationToken requested) => requested;
}
