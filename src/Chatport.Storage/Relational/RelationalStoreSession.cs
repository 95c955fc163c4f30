using System.Data.Common;
using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Storage.Relational;

/// <summary>
/// The statements a session of <see cref="RelationalStore"/> runs alike in both databases, on commands its dialect
/// makes (<see cref="Command"/>: SQLite's writer keeps them compiled, PostgreSQL's belong to the session's
/// transaction). Each dialect supplies how a chat is read for writing, how a conversation's next version is decided,
/// how a delivery is enqueued, and how the session ends. SQLite runs the event path's statements (the account, the
/// chat, its events) as raw statements of the same SQL text (see <see cref="Sqlite.SqliteStoreSession"/>).
/// </summary>
internal abstract class RelationalStoreSession(RelationalStore store) : IStoreSession
{
    // The event path's statements. SQLite's session runs the same text as raw statements, binding by position: a
    // named parameter is numbered by its first appearance (@account ?1, @chat or @id ?2, …), so keep the order of the
    // names as the binds below give them.

    /// <summary>A chat's tracker state by <c>@account</c> and <c>@chat</c>, for <see cref="ReadChatAsync"/>.</summary>
    private protected const string ChatSql = "SELECT state, last_event_at, finished FROM chats WHERE account_id = @account AND chat_id = @chat";

    private protected const string RecordEventSql = """
        INSERT INTO events (account_id, id, chat_id, at, received_at, body)
        VALUES (@account, @id, @chat, @at, @received, @body)
        ON CONFLICT (account_id, id) DO NOTHING
        """;

    private protected const string ForgetEventSql = "DELETE FROM events WHERE account_id = @account AND id = @id";

    private protected const string SaveChatSql = """
        INSERT INTO chats (account_id, chat_id, state, last_event_at, finished)
        VALUES (@account, @chat, @state, @last, @finished)
        ON CONFLICT (account_id, chat_id) DO UPDATE SET
            state = excluded.state, last_event_at = excluded.last_event_at, finished = excluded.finished
        """;

    private protected RelationalDialect Dialect => store.Dialect;

    public virtual async Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(RelationalStore.AccountByIdSql);
        return await RelationalStore.ReadAccountAsync(command, accountId, Token(cancellationToken));
    }

    /// <summary>On a shared database a concurrent session recording the same key waits for this one: false if it commits.</summary>
    public virtual async Task<bool> RecordEventAsync(long accountId, string eventId, long chatId, long at, long receivedAt, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        await using var command = Command(RecordEventSql);
        RelationalStore.BindAccountRow(command, accountId, eventId);
        command.AddBigint("@chat", chatId);
        command.AddBigint("@at", at);
        command.AddBigint("@received", receivedAt);
        Dialect.AddBytes(command, "@body", body);
        return await command.ExecuteNonQueryAsync(Token(cancellationToken)) == 1;
    }

    public virtual async Task ForgetEventAsync(long accountId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(ForgetEventSql);
        RelationalStore.BindAccountRow(command, accountId, eventId);
        await command.ExecuteNonQueryAsync(Token(cancellationToken));
    }

    public abstract Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default);

    public virtual async Task SaveChatAsync(ChatRecord chat, CancellationToken cancellationToken = default)
    {
        await using var command = Command(SaveChatSql);
        command.AddBigint("@account", chat.AccountId);
        command.AddBigint("@chat", chat.ChatId);
        command.AddBytes("@state", chat.State);
        command.AddBigint("@last", chat.LastEventAt);
        command.AddBoolean("@finished", chat.Finished);
        await command.ExecuteNonQueryAsync(Token(cancellationToken));
    }

    /// <summary>One <see cref="GetChatAsync"/> after another; PostgreSQL reads them in one statement or two.</summary>
    public virtual async Task<IReadOnlyList<ChatRecord?>> GetChatsAsync(IReadOnlyList<ChatKey> chats, CancellationToken cancellationToken = default)
    {
        var records = new ChatRecord?[chats.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = await GetChatAsync(chats[i].AccountId, chats[i].ChatId, cancellationToken);
        }
        return records;
    }

    /// <summary>One <see cref="RecordEventAsync"/> after another; PostgreSQL records them in one statement.</summary>
    public virtual async Task<IReadOnlyList<bool>> RecordEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default)
    {
        var recorded = new bool[events.Count];
        for (var i = 0; i < recorded.Length; i++)
        {
            var e = events[i];
            recorded[i] = await RecordEventAsync(e.AccountId, e.EventId, e.ChatId, e.At, e.ReceivedAt, e.Body, cancellationToken);
        }
        return recorded;
    }

    /// <summary>One <see cref="ForgetEventAsync"/> after another; PostgreSQL forgets them in one statement.</summary>
    public virtual async Task ForgetEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            await ForgetEventAsync(e.AccountId, e.EventId, cancellationToken);
        }
    }

    /// <summary>One <see cref="SaveChatAsync"/> after another; PostgreSQL saves them in one statement.</summary>
    public virtual async Task SaveChatsAsync(IReadOnlyList<ChatRecord> chats, CancellationToken cancellationToken = default)
    {
        foreach (var chat in chats)
        {
            await SaveChatAsync(chat, cancellationToken);
        }
    }

    public abstract Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default);

    /// <summary>One <see cref="WriteConversationAsync"/> after another; PostgreSQL writes them in a statement or a few.</summary>
    public virtual async Task<IReadOnlyList<ConversationWriteResult>> WriteConversationsAsync(IReadOnlyList<ConversationWrite> conversations, CancellationToken cancellationToken = default)
    {
        var results = new ConversationWriteResult[conversations.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await WriteConversationAsync(conversations[i], cancellationToken);
        }
        return results;
    }

    public async Task<IReadOnlyList<DestinationRoute>> GetEnabledRoutesAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(store.EnabledRoutesSql);
        command.AddBigint("@account", accountId);
        return await command.ReadAllAsync(store.RouteReader, Token(cancellationToken));
    }

    public abstract Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets old ids (as the dialect prunes them), then remembers this one. On a shared database a concurrent
    /// session remembering the same id waits for this one: false if it commits.
    /// </summary>
    public async Task<bool> RememberMessageIdAsync(string sourceId, string messageId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await using (var forget = Command(Dialect.ForgetMessageIdsSql))
        {
            forget.AddTime("@before", forgetBefore);
            await forget.ExecuteNonQueryAsync(Token(cancellationToken));
        }
        await using var remember = Command(
            "INSERT INTO source_message_ids (source_id, message_id, seen_at) VALUES (@source, @id, @now) ON CONFLICT DO NOTHING");
        remember.AddText("@source", sourceId);
        remember.AddText("@id", messageId);
        remember.AddTime("@now", now);
        return await remember.ExecuteNonQueryAsync(Token(cancellationToken)) == 1;
    }

    /// <summary>
    /// Tells the other nodes, once this session commits, that deliveries may be due now (as
    /// <see cref="EnqueueDeliveryAsync"/> does by itself); nothing is told if the session rolls back.
    /// </summary>
    internal abstract Task OutboxChangedAsync();

    public abstract Task CommitAsync(CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    /// <summary>Runs one statement in this session; <paramref name="bind"/> sets its parameters. The rows it changed.</summary>
    internal async Task<int> ExecuteAsync(string sql, Action<DbCommand>? bind, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        bind?.Invoke(command);
        return await command.ExecuteNonQueryAsync(Token(cancellationToken));
    }

    /// <summary>A command of this session for <paramref name="sql"/>, with no parameters yet; the caller disposes it.</summary>
    private protected abstract DbCommand Command(string sql);

    /// <summary>Reads a chat with <paramref name="sql"/>: <see cref="ChatSql"/>, with whatever lock the dialect adds.</summary>
    private protected async Task<ChatRecord?> ReadChatAsync(string sql, long accountId, long chatId, CancellationToken cancellationToken)
    {
        var token = Token(cancellationToken);
        await using var command = Command(sql);
        command.AddBigint("@account", accountId);
        command.AddBigint("@chat", chatId);
        await using var reader = await command.ExecuteReaderAsync(token);
        return await reader.ReadAsync(token)
            ? new ChatRecord(accountId, chatId, reader.GetByteArray(0), reader.GetInt64(1), reader.GetBoolean(2))
            : null;
    }

    private protected CancellationToken Token(CancellationToken requested) => Dialect.CommandToken(requested);
}
