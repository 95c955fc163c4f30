using System.Data.Common;
using Chatport.Storage.Relational;
using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>PostgreSQL's spelling of the shared SQL and values (see <see cref="RelationalDialect"/>).</summary>
internal sealed class PostgresDialect : RelationalDialect
{
    public override string True => "true";

    public override string False => "false";

    public override string ConversationBody => "c.body";

    public override string BodyLike(string body, string parameter) => $"convert_from({body}, 'UTF8') ILIKE {parameter} ESCAPE '\\'";

    public override void AddKinds(DbCommand command, string name, IReadOnlyList<string> kinds) =>
        ((NpgsqlCommand)command).Parameters.AddTextArray(name, kinds);

    public override IReadOnlyList<string> ReadKinds(DbDataReader reader, int ordinal) => reader.GetFieldValue<string[]>(ordinal);

    public override string HasKind(string column, string parameter) => $"{parameter} = ANY ({column})";

    public override void AddKind(DbCommand command, string name, string? kind) => command.AddText(name, kind);

    public override void AddBytes(DbCommand command, string name, ReadOnlyMemory<byte> value) =>
        ((NpgsqlCommand)command).Parameters.AddBytea(name, value);

    public override string ForgetMessageIdsSql => """
        DELETE FROM source_message_ids WHERE (source_id, message_id) IN (
            SELECT source_id, message_id FROM source_message_ids WHERE seen_at < @before FOR UPDATE SKIP LOCKED)
        """;

    /// <summary>None: a cancelled Npgsql command blocks the cancelling thread (see <see cref="PostgresStore"/>).</summary>
    public override CancellationToken CommandToken(CancellationToken requested) => CancellationToken.None;
}
