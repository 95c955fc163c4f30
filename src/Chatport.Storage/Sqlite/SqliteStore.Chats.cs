using System.Globalization;
using Chatport.Storage.Chats;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public async Task<IReadOnlyList<ChatKey>> FindInactiveChatsAsync(long now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.account_id, c.chat_id FROM chats c JOIN accounts a ON a.id = c.account_id
            WHERE c.finished = 0 AND c.last_event_at + a.inactivity_timeout_seconds * 1000 <= $now
            ORDER BY c.last_event_at
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$limit", limit);
        var chats = new List<ChatKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chats.Add(new ChatKey(reader.GetInt64(0), reader.GetInt64(1)));
        }
        return chats;
    }

    public async Task<long> CountOpenChatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM chats WHERE finished = 0";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
