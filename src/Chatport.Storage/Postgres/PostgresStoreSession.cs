using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Relational;
using Npgsql;

namespace Chatport.Storage.Postgres;

/// <summary>
/// One READ COMMITTED transaction on its own connection; see <see cref="IStoreSession"/>. Where SQLite's single
/// writer serializes everything, this session locks what it reads to write: the chat (<see cref="GetChatAsync"/>)
/// and the conversation (<see cref="WriteConversationAsync"/>), so two nodes working on one chat take turns.
/// A session that enqueued deliveries wakes the other nodes' dispatchers when it commits (<c>NOTIFY</c>).
/// </summary>
internal sealed class PostgresStoreSession(PostgresStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, long now)
    : RelationalStoreSession(store)
{
    private const string ChatForUpdateSql = ChatSql + " FOR UPDATE";

    private readonly PostgresOutboxRows _outbox = new();
    private bool _notify;
    private bool _disposed;

    /// <summary>
    /// Reads the chat and locks it until the session ends (<c>FOR UPDATE</c>). A chat with no row yet cannot be
    /// row-locked, so then the session takes a transaction-scoped advisory lock on the chat's key and reads again:
    /// a second session on a new chat waits there and then sees the first one's row.
    /// </summary>
    public override async Task<ChatRecord?> GetChatAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        if (await ReadChatAsync(ChatForUpdateSql, accountId, chatId, cancellationToken) is { } chat)
        {
            return chat;
        }
        await using (var advisory = Command("SELECT pg_advisory_xact_lock(@key)"))
        {
            advisory.Parameters.AddBigint("key", ChatLockKey(accountId, chatId));
            await advisory.ExecuteNonQueryAsync();
        }
        return await ReadChatAsync(ChatForUpdateSql, accountId, chatId, cancellationToken);
    }

    /// <summary>
    /// The chats (no chat twice) in one statement, locked in key order; then, for those with no row yet, advisory locks
    /// in lock-key order and a second read of them, as <see cref="GetChatAsync"/> does for one.
    /// </summary>
    public override async Task<IReadOnlyList<ChatRecord?>> GetChatsAsync(IReadOnlyList<ChatKey> chats, CancellationToken cancellationToken = default)
    {
        if (chats.Count == 1)
        {
            return [await GetChatAsync(chats[0].AccountId, chats[0].ChatId, cancellationToken)];
        }
        var found = await ReadChatsForUpdateAsync(chats);
        var missing = chats.Where(k => !found.ContainsKey(k)).OrderBy(k => ChatLockKey(k.AccountId, k.ChatId)).ToList();
        if (missing.Count > 0)
        {
            await using (var advisory = Command(PostgresChatRows.AdvisoryLocksSql))
            {
                advisory.Parameters.AddWithValue("keys", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint,
                    missing.Select(k => ChatLockKey(k.AccountId, k.ChatId)).ToArray());
                await advisory.ExecuteNonQueryAsync();
            }
            foreach (var (key, chat) in await ReadChatsForUpdateAsync(missing))
            {
                found[key] = chat;
            }
        }
        return chats.Select(k => found.GetValueOrDefault(k)).ToArray();
    }

    private async Task<Dictionary<ChatKey, ChatRecord>> ReadChatsForUpdateAsync(IReadOnlyList<ChatKey> keys)
    {
        var found = new Dictionary<ChatKey, ChatRecord>(keys.Count);
        await using var read = Command(PostgresChatRows.ReadForUpdateSql);
        PostgresChatRows.BindKeys(read, keys);
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var chat = new ChatRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetInt64(3), reader.GetBoolean(4));
            found[new ChatKey(chat.AccountId, chat.ChatId)] = chat;
        }
        return found;
    }

    /// <summary>The events in one statement; a key repeated in the list is recorded once, at its first place.</summary>
    public override async Task<IReadOnlyList<bool>> RecordEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 1)
        {
            var e = events[0];
            return [await RecordEventAsync(e.AccountId, e.EventId, e.ChatId, e.At, e.ReceivedAt, e.Body, cancellationToken)];
        }
        var inserted = new HashSet<(long, string)>();
        await using (var record = Command(PostgresChatRows.RecordSql))
        {
            PostgresChatRows.BindEvents(record, events, withBodies: true);
            await using var reader = await record.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                inserted.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }
        // Remove as claimed: a key repeated later in the list is a duplicate of its first.
        return events.Select(e => inserted.Remove((e.AccountId, e.EventId))).ToArray();
    }

    public override async Task ForgetEventsAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }
        await using var forget = Command(PostgresChatRows.ForgetSql);
        PostgresChatRows.BindEvents(forget, events, withBodies: false);
        await forget.ExecuteNonQueryAsync();
    }

    public override async Task SaveChatsAsync(IReadOnlyList<ChatRecord> chats, CancellationToken cancellationToken = default)
    {
        if (chats.Count <= 1)
        {
            await base.SaveChatsAsync(chats, cancellationToken);
            return;
        }
        await using var save = Command(PostgresChatRows.SaveSql);
        PostgresChatRows.BindChats(save, chats);
        await save.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// One statement decides the version and keeps it: a new conversation is inserted as version 1; a known one with a
    /// changed body becomes the latest version + 1; the same body updates nothing; the history row is inserted from what
    /// the upsert returned. The upsert locks the row either way, and a concurrent session writing the same (account,
    /// chat) waits on it, then builds on what this one committed — two nodes end with versions 1 and 2, never two
    /// version 1s.
    /// </summary>
    public override async Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
    {
        int? written;
        await using (var upsert = Command("""
            WITH written AS (
                INSERT INTO conversations AS c (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at, body)
                VALUES (@account, @chat, 1, @kinds, @begin, @end, @source, @now, @body)
                ON CONFLICT (account_id, chat_id) DO UPDATE SET
                    version = c.version + 1, kinds = excluded.kinds, begin_at = excluded.begin_at, end_at = excluded.end_at,
                    source = excluded.source, stored_at = excluded.stored_at, body = excluded.body
                WHERE c.body <> excluded.body
                RETURNING c.version
            ), history AS (
                INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body, export_body)
                SELECT @account, @chat, version, @source, @now, @body, @export FROM written
            )
            SELECT version FROM written
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
            upsert.Parameters.AddBytea("export", conversation.ExportBody);
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
        return new ConversationWriteResult(version == 1 ? ConversationWriteOutcome.Created : ConversationWriteOutcome.NewVersion, version);
    }

    /// <summary>
    /// Writes the list in one statement per run of distinct chats (<see cref="PostgresConversationRows"/>): an import
    /// of 500 new conversations is one round trip, not 500.
    /// </summary>
    public override async Task<IReadOnlyList<ConversationWriteResult>> WriteConversationsAsync(IReadOnlyList<ConversationWrite> conversations, CancellationToken cancellationToken = default)
    {
        if (conversations.Count == 1)
        {
            return [await WriteConversationAsync(conversations[0], cancellationToken)];
        }
        var results = new ConversationWriteResult[conversations.Count];
        foreach (var (start, count) in PostgresConversationRows.Runs(conversations))
        {
            var same = new HashSet<int>();
            await using (var write = Command(PostgresConversationRows.WriteSql))
            {
                PostgresConversationRows.BindRun(write, conversations, start, count, now);
                await using var reader = await write.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var i = start + (int)reader.GetInt64(0) - 1;
                    if (reader.IsDBNull(1))
                    {
                        same.Add(i);
                    }
                    else
                    {
                        var version = reader.GetInt32(1);
                        results[i] = new ConversationWriteResult(version == 1 ? ConversationWriteOutcome.Created : ConversationWriteOutcome.NewVersion, version);
                    }
                }
            }
            if (same.Count > 0)
            {
                await using var latest = Command(PostgresConversationRows.LatestSql);
                PostgresConversationRows.BindKeys(latest, conversations, start, count);
                await using var reader = await latest.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var i = start + (int)reader.GetInt64(0) - 1;
                    if (same.Contains(i))
                    {
                        results[i] = new ConversationWriteResult(ConversationWriteOutcome.Duplicate, reader.GetInt32(1));
                    }
                }
            }
        }
        return results;
    }

    /// <summary>
    /// Keeps the delivery for the commit, which inserts every delivery of the session in one statement and queues a
    /// <c>NOTIFY</c> (sent by PostgreSQL only if the session commits, once however many deliveries).
    /// </summary>
    public override Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        _outbox.Add(delivery, leaseUntil);
        _notify = true;
        return Task.CompletedTask;
    }

    /// <summary>Queues a <c>NOTIFY</c> for the commit, which PostgreSQL sends only if the session commits.</summary>
    internal override Task OutboxChangedAsync()
    {
        _notify = true;
        return Task.CompletedTask;
    }

    /// <summary>The kept deliveries and the <c>NOTIFY</c> go in one round trip before the <c>COMMIT</c>.</summary>
    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_outbox.Count > 0 || _notify)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            if (_outbox.Count > 0)
            {
                batch.BatchCommands.Add(_outbox.InsertCommand());
            }
            if (_notify)
            {
                batch.BatchCommands.Add(PostgresOutboxSignal.NotifyCommand());
            }
            await batch.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public override async ValueTask DisposeAsync()
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

    private protected override NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
