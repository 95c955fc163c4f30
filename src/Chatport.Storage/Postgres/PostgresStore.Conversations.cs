using Chatport.Storage.Conversations;
using Npgsql;

namespace Chatport.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string ConversationColumns = "account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at, body";

    public async Task<StoredConversation?> GetConversationAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT {ConversationColumns} FROM conversations WHERE account_id = @account AND chat_id = @chat", connection);
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddBigint("chat", chatId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadConversation(reader) : null;
    }

    public async Task<ConversationPage> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenNpgsqlAsync();
        await using var command = connection.CreateCommand();
        var where = new List<string> { "account_id = @account" };
        command.Parameters.AddBigint("account", query.AccountId);
        if (query.Kind is { } kind)
        {
            where.Add("@kind = ANY (kinds)");
            command.Parameters.AddText("kind", kind);
        }
        if (query.From is { } from)
        {
            where.Add("coalesce(end_at, 0) >= @from");
            command.Parameters.AddBigint("from", from);
        }
        if (query.To is { } to)
        {
            where.Add("coalesce(end_at, 0) < @to");
            command.Parameters.AddBigint("to", to);
        }
        if (query.After is { } after)
        {
            where.Add("(coalesce(end_at, 0), chat_id) < (@afterEnd, @afterChat)");
            command.Parameters.AddBigint("afterEnd", after.EndAt);
            command.Parameters.AddBigint("afterChat", after.ChatId);
        }
        command.CommandText = $"""
            SELECT {ConversationColumns} FROM conversations
            WHERE {string.Join(" AND ", where)}
            ORDER BY coalesce(end_at, 0) DESC, chat_id DESC
            LIMIT @limit
            """;
        command.Parameters.AddInteger("limit", query.Limit + 1);

        var items = new List<StoredConversation>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(ReadConversation(reader));
        }
        return ConversationPage.FromOneExtra(items, query.Limit);
    }

    private static StoredConversation ReadConversation(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt32(2),
        reader.GetFieldValue<string[]>(3),
        NullableInt64(reader, 4),
        NullableInt64(reader, 5),
        reader.GetString(6),
        Time(reader, 7),
        reader.GetFieldValue<byte[]>(8));
}
