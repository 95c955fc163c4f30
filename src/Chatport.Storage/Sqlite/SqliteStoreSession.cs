using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// One session: a savepoint in the writer's group transaction (see <see cref="SqliteWriter"/>). Every statement runs
/// through the writer's kept commands (a fresh <see cref="SqliteCommand"/> compiles its SQL again, and a
/// one-conversation import asks for its account and destinations each time); the hottest through
/// <see cref="SqliteRawStatement"/>: a conversation's write, its deliveries, and everything a batch of live events
/// does besides (its account, each chat read and saved, each event recorded or forgotten), each the shared SQL of
/// <see cref="RelationalStoreSession"/> with its parameters by position. Values are stored as the shared SQL's
/// parameters store them: bytes as a blob (an empty one, never NULL, for no bytes), a flag as integer 1 or 0.
/// </summary>
internal sealed class SqliteStoreSession(SqliteStore store, long now, SqliteWriter writer)
    : RelationalStoreSession(store)
{
    private bool _finished;

    public override Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Raw(RelationalStore.AccountByIdSql).Bind(1, accountId)
            .ReadFirst(RelationalStore.ReadAccount<SqliteRawStatement>));
    }

    /// <summary>No lock to take: the session holds the writer.</summary>
    public override Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Raw(ChatSql).Bind(1, accountId).Bind(2, chatId)
            .ReadFirst(row => new ChatRecord(accountId, chatId, row.GetBlob(0).ToArray(), row.GetInt64(1), row.GetInt64(2) != 0)));
    }

    /// <summary>False when the account already has an event with this id (in this session or committed before).</summary>
    public override Task<bool> RecordEventAsync(long accountId, string eventId, long chatId, long at, long receivedAt, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inserted = Raw(RecordEventSql)
            .Bind(1, accountId).Bind(2, eventId).Bind(3, chatId).Bind(4, at).Bind(5, receivedAt).BindBlob(6, body.Span)
            .Execute();
        return Task.FromResult(inserted == 1);
    }

    public override Task ForgetEventAsync(long accountId, string eventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Raw(ForgetEventSql).Bind(1, accountId).Bind(2, eventId).Execute();
        return Task.CompletedTask;
    }

    public override Task SaveChatAsync(ChatRecord chat, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Raw(SaveChatSql)
            .Bind(1, chat.AccountId).Bind(2, chat.ChatId).BindBlob(3, chat.State).Bind(4, chat.LastEventAt).Bind(5, chat.Finished ? 1L : 0L)
            .Execute();
        return Task.CompletedTask;
    }

    public override Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var latest = 0;
        var current = Raw("""
            SELECT c.version, v.body FROM conversations c
            JOIN conversation_versions v ON v.account_id = c.account_id AND v.chat_id = c.chat_id AND v.version = c.version
            WHERE c.account_id = ?1 AND c.chat_id = ?2
            """).Bind(1, conversation.AccountId).Bind(2, conversation.ChatId);
        if (current.Read())
        {
            latest = (int)current.GetInt64(0);
            var same = conversation.Body.Span.SequenceEqual(current.GetBlob(1));
            current.Reset();
            if (same)
            {
                return Task.FromResult(new ConversationWriteResult(ConversationWriteOutcome.Duplicate, latest));
            }
        }

        var version = latest + 1;
        Raw("""
            INSERT INTO conversations (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                version = excluded.version, kinds = excluded.kinds, begin_at = excluded.begin_at, end_at = excluded.end_at,
                source = excluded.source, stored_at = excluded.stored_at
            """)
            .Bind(1, conversation.AccountId).Bind(2, conversation.ChatId).Bind(3, version).Bind(4, SqliteKinds.ToColumn(conversation.Kinds))
            .Bind(5, conversation.BeginAt).Bind(6, conversation.EndAt).Bind(7, conversation.Source).Bind(8, now)
            .Execute();
        var history = Raw("""
            INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body, export_body)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
            .Bind(1, conversation.AccountId).Bind(2, conversation.ChatId).Bind(3, version).Bind(4, conversation.Source).Bind(5, now)
            .BindBlob(6, conversation.Body.Span);
        if (conversation.ExportBody is { } export)
        {
            history.BindBlob(7, export.Span);
        }
        history.Execute();
        return Task.FromResult(new ConversationWriteResult(latest == 0 ? ConversationWriteOutcome.Created : ConversationWriteOutcome.NewVersion, version));
    }

    public override Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var created = delivery.CreatedAt.ToUnixTimeMilliseconds();
        Raw("""
            INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, next_attempt_at, lease_until)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7, ?8)
            """)
            .Bind(1, delivery.Id).Bind(2, delivery.AccountId).Bind(3, delivery.DestinationId).Bind(4, delivery.ChatId)
            .Bind(5, delivery.Version).Bind(6, SqliteKinds.ToColumn(delivery.Kinds)).Bind(7, created).Bind(8, leaseUntil.ToUnixTimeMilliseconds())
            .Execute();
        return Task.CompletedTask;
    }

    /// <summary>Nothing to tell: one node uses the file, and its dispatcher polls it.</summary>
    internal override Task OutboxChangedAsync() => Task.CompletedTask;

    internal SqliteCommand CreateCommand(string sql) => Command(sql);

    internal SqliteRawStatement Raw(string sql)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return writer.RawStatement(sql);
    }

    /// <summary>Returns once this session's work is durable (its group committed with one fsync).</summary>
    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            throw new InvalidOperationException("This session already ended.");
        }
        _finished = true;
        await writer.LeaveAsync(commit: true);
    }

    /// <summary>Without a commit, undoes this session's work (and only this session's).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        await writer.LeaveAsync(commit: false);
    }

    private protected override SqliteCommand Command(string sql)
    {
        // After its commit the writer connection belongs to the next session: nothing of this one may touch it.
        ObjectDisposedException.ThrowIf(_finished, this);
        return writer.Statement(sql);
    }
}
