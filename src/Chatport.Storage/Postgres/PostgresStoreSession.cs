using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// One READ COMMITTED transaction on its own connection; see <see cref="IStoreSession"/>. Where SQLite's single
/// writer serializes everything, this session locks what it reads to write: the chat (<see cref="GetChatAsync"/>)
/// and the conversation (<see cref="WriteConversationAsync"/>), so two nodes working on one chat take turns.
/// A session that enqueued deliveries wakes the other nodes' dispatchers when it commits (<c>NOTIFY</c>).
/// </summary>
internal sealed class PostgresStoreSession(PostgresStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, long now) : IStoreSession
{
    private bool _disposed;

    public async Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(PostgresStore.AccountByIdSql);
        return await PostgresStore.ReadAccountAsync(command, accountId, CancellationToken.None);
    }

    public async Task<bool> RecordEventAsync(long accountId, string eventId, long chatId, long at, long receivedAt, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        // A concurrent session recording the same key waits here for the first to finish: false if it committed.
        await using var command = Command("""
            INSERT INTO events (account_id, id, chat_id, at, received_at, body)
            VALUES (@account, @id, @chat, @at, @received, @body)
            ON CONFLICT (account_id, id) DO NOTHING
            """);
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddText("id", eventId);
        command.Parameters.AddBigint("chat", chatId);
        command.Parameters.AddBigint("at", at);
        command.Parameters.AddBigint("received", receivedAt);
        command.Parameters.AddBytea("body", body);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task ForgetEventAsync(long accountId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("DELETE FROM events WHERE account_id = @account AND id = @id");
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddText("id", eventId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Reads the chat and locks it until the session ends (<c>FOR UPDATE</c>). A chat with no row yet cannot be
    /// row-locked, so then the session takes a transaction-scoped advisory lock on the chat's key and reads again:
    /// a second session on a new chat waits there and then sees the first one's row.
    /// </summary>
    public async Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        if (await ReadChatForUpdateAsync(accountId, chatId, cancellationToken) is { } chat)
        {
            return chat;
        }
        await using (var advisory = Command("SELECT pg_advisory_xact_lock(@key)"))
        {
            advisory.Parameters.AddBigint("key", ChatLockKey(accountId, chatId));
            await advisory.ExecuteNonQueryAsync();
        }
        return await ReadChatForUpdateAsync(accountId, chatId, cancellationToken);
    }

    public async Task SaveChatAsync(ChatRecord chat, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            INSERT INTO chats (account_id, chat_id, state, last_event_at, finished)
            VALUES (@account, @chat, @state, @last, @finished)
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                state = excluded.state, last_event_at = excluded.last_event_at, finished = excluded.finished
            """);
        command.Parameters.AddBigint("account", chat.AccountId);
        command.Parameters.AddBigint("chat", chat.ChatId);
        command.Parameters.AddBytea("state", chat.State);
        command.Parameters.AddBigint("last", chat.LastEventAt);
        command.Parameters.AddBoolean("finished", chat.Finished);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// One upsert decides the version: a new conversation is inserted as version 1; a known one with a changed body
    /// becomes the latest version + 1; the same body updates nothing. The upsert locks the row either way, and a
    /// concurrent session writing the same (account, chat) waits on it, then builds on what this one committed —
    /// two nodes end with versions 1 and 2, never two version 1s.
    /// </summary>
    public async Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
    {
        int? written;
        await using (var upsert = Command("""
            INSERT INTO conversations AS c (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at, body)
            VALUES (@account, @chat, 1, @kinds, @begin, @end, @source, @now, @body)
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                version = c.version + 1, kinds = excluded.kinds, begin_at = excluded.begin_at, end_at = excluded.end_at,
                source = excluded.source, stored_at = excluded.stored_at, body = excluded.body
            WHERE c.body <> excluded.body
            RETURNING c.version
            """))
        {
            upsert.Parameters.AddBigint("account", conversation.AccountId);
            upsert.Parameters.AddBigint("chat", conversation.ChatId);
            upsert.Parameters.AddTextArray("kinds", conversation.Kinds);
            upsert.Parameters.AddBigint("begin", conversation.BeginAt);
            upsert.Parameters.AddBigint("end", conversation.EndAt);
            upsert.Parameters.AddText("source", conversation.Source);
            upsert.Parameters.AddBigint("now", now);
            upsert.Parameters.AddBytea("body", conversation.Body);
            written = (int?)await upsert.ExecuteScalarAsync();
        }

        if (written is not { } version)
        {
            // The same body as the latest: the upsert locked the row without changing it, so this read is current.
            await using var latest = Command("SELECT version FROM conversations WHERE account_id = @account AND chat_id = @chat");
            latest.Parameters.AddBigint("account", conversation.AccountId);
            latest.Parameters.AddBigint("chat", conversation.ChatId);
            return new ConversationWriteResult(ConversationWriteOutcome.Duplicate, (int)(await latest.ExecuteScalarAsync())!);
        }

        await using (var history = Command("""
            INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body, export_body)
            VALUES (@account, @chat, @version, @source, @now, @body, @export)
            """))
        {
            history.Parameters.AddBigint("account", conversation.AccountId);
            history.Parameters.AddBigint("chat", conversation.ChatId);
            history.Parameters.AddInteger("version", version);
            history.Parameters.AddText("source", conversation.Source);
            history.Parameters.AddBigint("now", now);
            history.Parameters.AddBytea("body", conversation.Body);
            history.Parameters.AddBytea("export", conversation.ExportBody);
            await history.ExecuteNonQueryAsync();
        }
        return new ConversationWriteResult(version == 1 ? ConversationWriteOutcome.Created : ConversationWriteOutcome.NewVersion, version);
    }

    public async Task<IReadOnlyList<Destination>> GetEnabledDestinationsAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(store.EnabledDestinationsSql);
        return await store.ReadEnabledDestinationsAsync(command, accountId, CancellationToken.None);
    }

    /// <summary>Inserts the delivery and queues a <c>NOTIFY</c>, which PostgreSQL sends only if the session commits (once, however many deliveries).</summary>
    public async Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, next_attempt_at, lease_until)
            VALUES (@id, @account, @destination, @chat, @version, @kinds, 'pending', 0, @created, @created, @lease)
            """);
        insert.Parameters.AddText("id", delivery.Id);
        insert.Parameters.AddBigint("account", delivery.AccountId);
        insert.Parameters.AddText("destination", delivery.DestinationId);
        insert.Parameters.AddBigint("chat", delivery.ChatId);
        insert.Parameters.AddInteger("version", delivery.Version);
        insert.Parameters.AddTextArray("kinds", delivery.Kinds);
        insert.Parameters.AddTime("created", delivery.CreatedAt);
        insert.Parameters.AddTime("lease", leaseUntil);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(PostgresOutboxSignal.NotifyCommand());
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Forgets old ids (skipping rows another session is pruning right now: housekeeping never waits), then
    /// remembers this one. A concurrent session remembering the same id waits for this one: false if it commits.
    /// </summary>
    public async Task<bool> RememberMessageIdAsync(string sourceId, string messageId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await using (var forget = Command("""
            DELETE FROM source_message_ids WHERE (source_id, message_id) IN (
                SELECT source_id, message_id FROM source_message_ids WHERE seen_at < @before FOR UPDATE SKIP LOCKED)
            """))
        {
            forget.Parameters.AddTime("before", forgetBefore);
            await forget.ExecuteNonQueryAsync();
        }
        await using var remember = Command(
            "INSERT INTO source_message_ids (source_id, message_id, seen_at) VALUES (@source, @id, @now) ON CONFLICT DO NOTHING");
        remember.Parameters.AddText("source", sourceId);
        remember.Parameters.AddText("id", messageId);
        remember.Parameters.AddTime("now", now);
        return await remember.ExecuteNonQueryAsync() == 1;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await transaction.DisposeAsync(); // rolls back unless committed
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<ChatRecord?> ReadChatForUpdateAsync(long accountId, long chatId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT state, last_event_at, finished FROM chats WHERE account_id = @account AND chat_id = @chat FOR UPDATE
            """);
        command.Parameters.AddBigint("account", accountId);
        command.Parameters.AddBigint("chat", chatId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        return new ChatRecord(accountId, chatId, reader.GetFieldValue<byte[]>(0), reader.GetInt64(1), reader.GetBoolean(2));
    }

    /// <summary>
    /// A 64-bit key for the chat's advisory lock (a SplitMix64 finalizer over both ids). Two chats sharing a key
    /// only take turns; nothing else uses these keys but the migrations' fixed one.
    /// </summary>
    internal static long ChatLockKey(long accountId, long chatId)
    {
        unchecked
        {
            var x = ((ulong)accountId * 0x9E3779B97F4A7C15UL) ^ (ulong)chatId;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return (long)(x ^ (x >> 31));
        }
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
