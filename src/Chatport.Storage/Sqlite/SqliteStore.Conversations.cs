using Chatport.Storage.Conversations;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    /// <summary>A conversation's columns; its body is the one of its latest version (stored once, in conversation_versions).</summary>
    private const string ConversationColumns = """
        c.account_id, c.chat_id, c.version, c.kinds, c.begin_at, c.end_at, c.source, c.stored_at,
        (SELECT v.body FROM conversation_versions v WHERE v.account_id = c.account_id AND v.chat_id = c.chat_id AND v.version = c.version)
        """;

    public async Task<StoredConversation?> GetConversationAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConversationColumns} FROM conversations c WHERE account_id = $account AND chat_id = $chat";
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$chat", chatId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadConversation(reader) : null;
    }

    public async Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "account_id = $account" };
        command.Parameters.AddWithValue("$account", query.AccountId);
        if (query.Kind is { } kind)
        {
            where.Add("instr(kinds, $kind) > 0");
            command.Parameters.AddWithValue("$kind", SqliteKinds.Pattern(kind));
        }
        if (query.From is { } from)
        {
            where.Add("coalesce(end_at, 0) >= $from");
            command.Parameters.AddWithValue("$from", from);
        }
        if (query.To is { } to)
        {
            where.Add("coalesce(end_at, 0) < $to");
            command.Parameters.AddWithValue("$to", to);
        }
        if (query.After is { } after)
        {
            where.Add("(coalesce(end_at, 0) < $afterEnd OR (coalesce(end_at, 0) = $afterEnd AND chat_id < $afterChat))");
            command.Parameters.AddWithValue("$afterEnd", after.EndAt);
            command.Parameters.AddWithValue("$afterChat", after.ChatId);
        }
        command.CommandText = $"""
            SELECT {ConversationColumns} FROM conversations c
            WHERE {string.Join(" AND ", where)}
            ORDER BY coalesce(end_at, 0) DESC, chat_id DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", query.Limit + 1);

        var items = new List<StoredConversation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadConversation(reader));
        }
        return ConversationPage.FromOneExtra(items, query.Limit);
    }

    private static StoredConversation ReadConversation(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt32(2),
        SqliteKinds.FromColumn(reader.GetString(3)),
        reader.IsDBNull(4) ? null : reader.GetInt64(4),
        reader.IsDBNull(5) ? null : reader.GetInt64(5),
        reader.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        (byte[])reader.GetValue(8));
}
