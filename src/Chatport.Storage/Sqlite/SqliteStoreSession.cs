using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>One session: a savepoint in the writer's group transaction (see <see cref="SqliteWriter"/>).</summary>
internal sealed class SqliteStoreSession(SqliteStore store, long now, SqliteWriter writer)
    : IStoreSession
{
    private bool _finished;

    // Through the writer's kept commands, as every statement of a session: a fresh SqliteCommand compiles its SQL again,
    // and a one-conversation import asks for its account and destinations each time.
    public async Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(SqliteStore.AccountByIdSql);
        return await SqliteStore.ReadAccountAsync(command, accountId, cancellationToken);
    }

    public async Task<bool> RecordEventAsync(long accountId, string eventId, long chatId, long at, long receivedAt, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            INSERT INTO events (account_id, id, chat_id, at, received_at, body)
            VALUES ($account, $id, $chat, $at, $received, $body)
            ON CONFLICT (account_id, id) DO NOTHING
            """);
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$id", eventId);
        command.Parameters.AddWithValue("$chat", chatId);
        command.Parameters.AddWithValue("$at", at);
        command.Parameters.AddWithValue("$received", receivedAt);
        command.Parameters.Add("$body", SqliteType.Blob).Value = body.ToArray();
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ForgetEventAsync(long accountId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("DELETE FROM events WHERE account_id = $account AND id = $id");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$id", eventId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT state, last_event_at, finished FROM chats WHERE account_id = $account AND chat_id = $chat");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$chat", chatId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new ChatRecord(accountId, chatId, (byte[])reader.GetValue(0), reader.GetInt64(1), reader.GetBoolean(2));
    }

    public async Task SaveChatAsync(ChatRecord chat, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            INSERT INTO chats (account_id, chat_id, state, last_event_at, finished)
            VALUES ($account, $chat, $state, $last, $finished)
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                state = excluded.state, last_event_at = excluded.last_event_at, finished = excluded.finished
            """);
        command.Parameters.AddWithValue("$account", chat.AccountId);
        command.Parameters.AddWithValue("$chat", chat.ChatId);
        command.Parameters.Add("$state", SqliteType.Blob).Value = chat.State;
        command.Parameters.AddWithValue("$last", chat.LastEventAt);
        command.Parameters.AddWithValue("$finished", chat.Finished);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
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

    public async Task<IReadOnlyList<Destination>> GetEnabledDestinationsAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(store.EnabledDestinationsSql);
        return await store.ReadEnabledDestinationsAsync(command, accountId, cancellationToken);
    }

    public Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
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

    public async Task<bool> RememberMessageIdAsync(string sourceId, string messageId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("DELETE FROM source_message_ids WHERE seen_at < $before", cancellationToken, ("$before", forgetBefore.ToUnixTimeMilliseconds()));
        return await ExecuteAsync(
            "INSERT INTO source_message_ids (source_id, message_id, seen_at) VALUES ($source, $id, $now) ON CONFLICT DO NOTHING",
            cancellationToken, ("$source", sourceId), ("$id", messageId), ("$now", now.ToUnixTimeMilliseconds())) == 1;
    }

    internal async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal SqliteCommand CreateCommand(string sql) => Command(sql);

    internal SqliteRawStatement Raw(string sql)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return writer.RawStatement(sql);
    }

    /// <summary>Returns once this session's work is durable (its group committed with one fsync).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            throw new InvalidOperationException("This session already ended.");
        }
        _finished = true;
        await writer.LeaveAsync(commit: true);
    }

    /// <summary>Without a commit, undoes this session's work (and only this session's).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        await writer.LeaveAsync(commit: false);
    }

    private SqliteCommand Command(string sql)
    {
        // After its commit the writer connection belongs to the next session: nothing of this one may touch it.
        ObjectDisposedException.ThrowIf(_finished, this);
        return writer.Statement(sql);
    }
}
