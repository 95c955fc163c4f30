using System.Globalization;
using Chatport.Storage.Chats;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    private readonly string _inactiveChatsSql = $"""
        SELECT c.account_id, c.chat_id FROM chats c JOIN accounts a ON a.id = c.account_id
        WHERE c.finished = {dialect.False} AND c.last_event_at + a.inactivity_timeout_seconds * CAST(1000 AS bigint) <= @now
        ORDER BY c.last_event_at, c.account_id, c.chat_id
        LIMIT @limit
        """;

    private readonly string _openChatsCountSql = $"SELECT count(*) FROM chats WHERE finished = {dialect.False}";

    // A plain read: on a shared database several nodes may find the same chat; each re-checks it in a session, under
    // the chat's lock, before finishing it.
    public async Task<IReadOnlyList<ChatKey>> FindInactiveChatsAsync(long now, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync(_inactiveChatsSql, command =>
        {
            command.AddBigint("@now", now);
            command.AddInteger("@limit", limit);
        }, static reader => new ChatKey(reader.GetInt64(0), reader.GetInt64(1)), cancellationToken);

    public async Task<long> CountOpenChatsAsync(CancellationToken cancellationToken = default) => Convert.ToInt64(
        await RunAsync(_openChatsCountSql, null, static (command, token) => command.ExecuteScalarAsync(token), cancellationToken),
        CultureInfo.InvariantCulture);
}
