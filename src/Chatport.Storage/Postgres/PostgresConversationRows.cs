using Chatport.Storage.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace Chatport.Storage.Postgres;

/// <summary>
/// Several conversations written by one statement over arrays (<c>unnest</c>), with the rules of
/// <see cref="PostgresStoreSession.WriteConversationAsync"/>: the upsert decides each version, the history rows are
/// inserted from what it returned. One statement cannot upsert a row twice, so a list naming a chat again is written
/// in runs (<see cref="Runs"/>), each run one statement, in the order given. Rows are upserted in key order, as every
/// node does, so two imports sharing chats wait for each other rather than deadlock.
/// </summary>
internal static class PostgresConversationRows
{
    internal const string WriteSql = """
        WITH input AS (
            SELECT * FROM unnest(@accounts, @chats, @kinds, @begins, @ends, @sources, @bodies, @exports) WITH ORDINALITY
                AS i (account_id, chat_id, kinds, begin_at, end_at, source, body, export_body, n)
        ), written AS (
            INSERT INTO conversations AS c (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at, body)
            SELECT account_id, chat_id, 1, string_to_array(kinds, ','), begin_at, end_at, source, @now, body
            FROM input ORDER BY account_id, chat_id
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                version = c.version + 1, kinds = excluded.kinds, begin_at = excluded.begin_at, end_at = excluded.end_at,
                source = excluded.source, stored_at = excluded.stored_at, body = excluded.body
            WHERE c.body <> excluded.body
            RETURNING c.account_id, c.chat_id, c.version
        ), history AS (
            INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body, export_body)
            SELECT w.account_id, w.chat_id, w.version, i.source, @now, i.body, i.export_body
            FROM written w JOIN input i ON i.account_id = w.account_id AND i.chat_id = w.chat_id
        )
        SELECT i.n, w.version FROM input i LEFT JOIN written w ON w.account_id = i.account_id AND w.chat_id = i.chat_id
        """;

    /// <summary>
    /// The latest versions of the run's conversations the upsert left alone (the same body again): it locked their
    /// rows, so this read is current.
    /// </summary>
    internal const string LatestSql = """
        SELECT k.n, c.version FROM unnest(@accounts, @chats) WITH ORDINALITY AS k (account_id, chat_id, n)
        JOIN conversations c ON c.account_id = k.account_id AND c.chat_id = k.chat_id
        """;

    /// <summary>Consecutive runs of the list in which no (account, chat) comes twice, as (start, count).</summary>
    internal static IEnumerable<(int Start, int Count)> Runs(IReadOnlyList<ConversationWrite> conversations)
    {
        var seen = new HashSet<(long, long)>();
        var start = 0;
        for (var i = 0; i < conversations.Count; i++)
        {
            if (!seen.Add((conversations[i].AccountId, conversations[i].ChatId)))
            {
                yield return (start, i - start);
                start = i;
                seen.Clear();
                seen.Add((conversations[i].AccountId, conversations[i].ChatId));
            }
        }
        if (conversations.Count > start)
        {
            yield return (start, conversations.Count - start);
        }
    }

    internal static void BindRun(NpgsqlCommand command, IReadOnlyList<ConversationWrite> conversations, int start, int count, long now)
    {
        var accounts = new long[count];
        var chats = new long[count];
        var kinds = new string[count];
        var begins = new long?[count];
        var ends = new long?[count];
        var sources = new string[count];
        var bodies = new byte[count][];
        var exports = new byte[]?[count];
        for (var i = 0; i < count; i++)
        {
            var c = conversations[start + i];
            accounts[i] = c.AccountId;
            chats[i] = c.ChatId;
            kinds[i] = PostgresOutboxRows.KindsText(c.Kinds);
            begins[i] = c.BeginAt;
            ends[i] = c.EndAt;
            sources[i] = c.Source;
            bodies[i] = PostgresParameters.ExactArray(c.Body);
            exports[i] = c.ExportBody is { } export ? PostgresParameters.ExactArray(export) : null;
        }
        var p = command.Parameters;
        p.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, accounts);
        p.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chats);
        p.AddWithValue("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, kinds);
        p.AddWithValue("begins", NpgsqlDbType.Array | NpgsqlDbType.Bigint, begins);
        p.AddWithValue("ends", NpgsqlDbType.Array | NpgsqlDbType.Bigint, ends);
        p.AddWithValue("sources", NpgsqlDbType.Array | NpgsqlDbType.Text, sources);
        p.AddWithValue("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea, bodies);
        p.AddWithValue("exports", NpgsqlDbType.Array | NpgsqlDbType.Bytea, exports);
        p.AddBigint("now", now);
    }

    internal static void BindKeys(NpgsqlCommand command, IReadOnlyList<ConversationWrite> conversations, int start, int count)
    {
        command.Parameters.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            Enumerable.Range(start, count).Select(i => conversations[i].AccountId).ToArray());
        command.Parameters.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            Enumerable.Range(start, count).Select(i => conversations[i].ChatId).ToArray());
    }
}
