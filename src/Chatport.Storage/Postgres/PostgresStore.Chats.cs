using Chatport.Storage.Chats;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    // A plain read: several nodes may find the same chat; each re-checks it in a session, under the chat's lock
    // (PostgresStoreSession.GetChatAsync), before finishing it.
    public async Task<IReadOnlyList<ChatKey>> FindInactiveChatsAsync(long now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.account_id, c.chat_id FROM chats c JOIN accounts a ON a.id = c.account_id
            WHERE NOT c.finished AND c.last_event_at + a.inactivity_timeout_seconds * 1000::bigint <= @now
            ORDER BY c.last_event_at, c.account_id, c.chat_id
            LIMIT @limit
            """, connection);
        command.Parameters.AddBigint("now", now);
        command.Parameters.AddInteger("limit", limit);
        var chats = new List<ChatKey>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            chats.Add(new ChatKey(reader.GetInt64(0), reader.GetInt64(1)));
        }
        return chats;
    }

    public async Task<long> CountOpenChatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM chats WHERE NOT finished", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
