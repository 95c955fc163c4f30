using System.Data.Common;
using Chatport.Storage.Relational;

namespace Chatport.Storage.Sqlite;

/// <summary>SQLite's spelling of the shared SQL and values (see <see cref="RelationalDialect"/>).</summary>
internal sealed class SqliteDialect : RelationalDialect
{
    public override string True => "1";

    public override string False => "0";

    public override string ConversationBody =>
        "(SELECT v.body FROM conversation_versions v WHERE v.account_id = c.account_id AND v.chat_id = c.chat_id AND v.version = c.version)";

    public override string BodyLike(string body, string parameter) => $"CAST({body} AS TEXT) LIKE {parameter} ESCAPE '\\'";

    public override void AddKinds(DbCommand command, string name, IReadOnlyList<string> kinds) =>
        command.AddText(name, SqliteKinds.ToColumn(kinds));

    public override IReadOnlyList<string> ReadKinds(DbDataReader reader, int ordinal) => SqliteKinds.FromColumn(reader.GetString(ordinal));

    public override string HasKind(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override void AddKind(DbCommand command, string name, string? kind) =>
        command.AddText(name, kind is null ? null : SqliteKinds.Pattern(kind));

    public override void AddBytes(DbCommand command, string name, ReadOnlyMemory<byte> value) => command.AddBytes(name, value.ToArray());

    public override string ForgetMessageIdsSql => "DELETE FROM source_message_ids WHERE seen_at < @before";

    public override CancellationToken CommandToken(CancellationToken requested) => requested;
}
