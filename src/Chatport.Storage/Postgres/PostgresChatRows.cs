using Chatport.Storage.Chats;
using Npgsql;
using NpgsqlTypes;

namespace Chatport.Storage.Postgres;

/// <summary>
/// A request's chats and events in a statement each, over arrays (<c>unnest</c>), with the rules of the
/// one-at-a-time statements in <see cref="PostgresStoreSession"/> and <see cref="Relational.RelationalStoreSession"/>.
/// Chats are locked in key order and the advisory locks of new chats taken in lock-key order, after every row lock,
/// as a single-chat session takes them: two requests sharing chats wait for each other rather than deadlock.
/// </summary>
internal static class PostgresChatRows
{
    /// <summary>The chats of (<c>@accounts</c>, <c>@chats</c>) that exist, locked in key order.</summary>
    internal const string ReadForUpdateSql = """
        SELECT c.account_id, c.chat_id, c.state, c.last_event_at, c.finished
        FROM chats c JOIN unnest(@accounts, @chats) AS k (account_id, chat_id) ON c.account_id = k.account_id AND c.chat_id = k.chat_id
        ORDER BY c.account_id, c.chat_id
        FOR UPDATE OF c
        """;

    /// <summary>Transaction-scoped advisory locks on <c>@keys</c>, taken in the order given.</summary>
    internal const string AdvisoryLocksSql = "SELECT pg_advisory_xact_lock(k) FROM unnest(@keys) AS k";

    /// <summary>
    /// Inserts the events in the order given; a key seen before, or earlier in the list, inserts nothing. Returns the
    /// keys inserted.
    /// </summary>
    internal const string RecordSql = """
        INSERT INTO events (account_id, id, chat_id, at, received_at, body)
        SELECT account_id, id, chat_id, at, received_at, body
        FROM unnest(@accounts, @ids, @chats, @ats, @received, @bodies) WITH ORDINALITY AS e (account_id, id, chat_id, at, received_at, body, n)
        ORDER BY n
        ON CONFLICT (account_id, id) DO NOTHING
        RETURNING account_id, id
        """;

    internal const string ForgetSql = """
        DELETE FROM events e USING unnest(@accounts, @ids) AS k (account_id, id)
        WHERE e.account_id = k.account_id AND e.id = k.id
        """;

    internal const string SaveSql = """
        INSERT INTO chats (account_id, chat_id, state, last_event_at, finished)
        SELECT * FROM unnest(@accounts, @chats, @states, @lasts, @finished)
        ON CONFLICT (account_id, chat_id) DO UPDATE SET
            state = excluded.state, last_event_at = excluded.last_event_at, finished = excluded.finished
        """;

    internal static void BindKeys(NpgsqlCommand command, IEnumerable<ChatKey> keys)
    {
        var list = keys as IReadOnlyCollection<ChatKey> ?? keys.ToList();
        command.Parameters.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, list.Select(k => k.AccountId).ToArray());
        command.Parameters.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, list.Select(k => k.ChatId).ToArray());
    }

    internal static void BindEvents(NpgsqlCommand command, IReadOnlyList<EventWrite> events, bool withBodies)
    {
        var p = command.Parameters;
        p.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.AccountId).ToArray());
        p.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.EventId).ToArray());
        if (withBodies)
        {
            p.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.ChatId).ToArray());
            p.AddWithValue("ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.At).ToArray());
            p.AddWithValue("received", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.ReceivedAt).ToArray());
            p.AddWithValue("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea, events.Select(e => PostgresParameters.ExactArray(e.Body)).ToArray());
        }
    }

    internal static void BindChats(NpgsqlCommand command, IReadOnlyList<ChatRecord> chats)
    {
        var p = command.Parameters;
        p.AddWithValue("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chats.Select(c => c.AccountId).ToArray());
        p.AddWithValue("chats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chats.Select(c => c.ChatId).ToArray());
        p.AddWithValue("states", NpgsqlDbType.Array | NpgsqlDbType.Bytea, chats.Select(c => c.State).ToArray());
        p.AddWithValue("lasts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chats.Select(c => c.LastEventAt).ToArray());
        p.AddWithValue("finished", NpgsqlDbType.Array | NpgsqlDbType.Boolean, chats.Select(c => c.Finished).ToArray());
    }
}
