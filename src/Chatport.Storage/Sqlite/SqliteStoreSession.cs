using Chatport.Storage.Accounts;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>One session: a savepoint in the writer's group transaction (see <see cref="SqliteWriter"/>).</summary>
internal sealed class SqliteStoreSession(SqliteConnection connection, SqliteTransaction transaction, long now, SqliteWriter writer, string savepoint)
    : IStoreSession
{
    private bool _finished;

    public Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        SqliteStore.ReadAccountAsync(connection, transaction, accountId, cancellationToken);

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

    public async Task<ConversationWriteResult> WriteConversationAsync(ConversationWrite conversation, CancellationToken cancellationToken = default)
    {
        int latest = 0;
        await using (var current = Command("""
            SELECT c.version, v.body FROM conversations c
            JOIN conversation_versions v ON v.account_id = c.account_id AND v.chat_id = c.chat_id AND v.version = c.version
            WHERE c.account_id = $account AND c.chat_id = $chat
            """))
        {
            current.Parameters.AddWithValue("$account", conversation.AccountId);
            current.Parameters.AddWithValue("$chat", conversation.ChatId);
            await using var reader = await current.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                latest = reader.GetInt32(0);
                if (conversation.Body.Span.SequenceEqual((byte[])reader.GetValue(1)))
                {
                    return new ConversationWriteResult(ConversationWriteOutcome.Duplicate, latest);
                }
            }
        }

        var version = latest + 1;
        var body = WholeArray(conversation.Body);
        await using (var upsert = Command("""
            INSERT INTO conversations (account_id, chat_id, version, kinds, begin_at, end_at, source, stored_at)
            VALUES ($account, $chat, $version, $kinds, $begin, $end, $source, $now)
            ON CONFLICT (account_id, chat_id) DO UPDATE SET
                version = excluded.version, kinds = excluded.kinds, begin_at = excluded.begin_at, end_at = excluded.end_at,
                source = excluded.source, stored_at = excluded.stored_at
            """))
        {
            upsert.Parameters.AddWithValue("$account", conversation.AccountId);
            upsert.Parameters.AddWithValue("$chat", conversation.ChatId);
            upsert.Parameters.AddWithValue("$version", version);
            upsert.Parameters.AddWithValue("$kinds", SqliteKinds.ToColumn(conversation.Kinds));
            upsert.Parameters.AddWithValue("$begin", (object?)conversation.BeginAt ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$end", (object?)conversation.EndAt ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$source", conversation.Source);
            upsert.Parameters.AddWithValue("$now", now);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var history = Command("""
            INSERT INTO conversation_versions (account_id, chat_id, version, source, stored_at, body, export_body)
            VALUES ($account, $chat, $version, $source, $now, $body, $export)
            """))
        {
            history.Parameters.AddWithValue("$account", conversation.AccountId);
            history.Parameters.AddWithValue("$chat", conversation.ChatId);
            history.Parameters.AddWithValue("$version", version);
            history.Parameters.AddWithValue("$source", conversation.Source);
            history.Parameters.AddWithValue("$now", now);
            history.Parameters.Add("$body", SqliteType.Blob).Value = body;
            history.Parameters.Add("$export", SqliteType.Blob).Value = conversation.ExportBody is { } export ? export.ToArray() : DBNull.Value;
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        return new ConversationWriteResult(latest == 0 ? ConversationWriteOutcome.Created : ConversationWriteOutcome.NewVersion, version);
    }

    public Task<IReadOnlyList<Destination>> GetEnabledDestinationsAsync(long accountId, CancellationToken cancellationToken = default) =>
        SqliteStore.ReadDestinationsAsync(connection, transaction, "account_id = $account AND enabled = 1", accountId, cancellationToken);

    public async Task EnqueueDeliveryAsync(DeliveryWork delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("""
            INSERT INTO deliveries (id, account_id, destination_id, chat_id, version, kinds, status, attempts, created_at, next_attempt_at, lease_until)
            VALUES ($id, $account, $destination, $chat, $version, $kinds, 'pending', 0, $created, $created, $lease)
            """, cancellationToken,
            ("$id", delivery.Id), ("$account", delivery.AccountId), ("$destination", delivery.DestinationId),
            ("$chat", delivery.ChatId), ("$version", delivery.Version), ("$kinds", SqliteKinds.ToColumn(delivery.Kinds)),
            ("$created", delivery.CreatedAt.ToUnixTimeMilliseconds()), ("$lease", leaseUntil.ToUnixTimeMilliseconds()));
    }

    public async Task<bool> RememberMessageIdAsync(string sourceId, string messageId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("DELETE FROM source_message_ids WHERE seen_at < $before", cancellationToken, ("$before", forgetBefore.ToUnixTimeMilliseconds()));
        return await ExecuteAsync(
            "INSERT INTO source_message_ids (source_id, message_id, seen_at) VALUES ($source, $id, $now) ON CONFLICT DO NOTHING",
            cancellationToken, ("$source", sourceId), ("$id", messageId), ("$now", now.ToUnixTimeMilliseconds())) == 1;
    }

    /// <summary>The bytes as an array, without a copy when they already are one whole array.</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

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

    /// <summary>Returns once this session's work is durable (its group committed with one fsync).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            throw new InvalidOperationException("This session already ended.");
        }
        _finished = true;
        await writer.LeaveAsync(savepoint, commit: true);
    }

    /// <summary>Without a commit, undoes this session's work (and only this session's).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        await writer.LeaveAsync(savepoint, commit: false);
    }

    private SqliteCommand Command(string sql)
    {
        // After its commit the writer connection belongs to the next session: nothing of this one may touch it.
        ObjectDisposedException.ThrowIf(_finished, this);
        return writer.Statement(sql);
    }
}
