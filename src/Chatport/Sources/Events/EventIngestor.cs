using Chatport.Api;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Chats;
using Chatport.Tracking;

namespace Chatport.Sources.Events;

/// <summary>
/// Applies a request's events to their chats in one store transaction: each chat's events in <c>at</c>
/// order, repeated ids ignored, refused events reported; chats that finish (or are re-rated) are stored
/// as a new conversation version in the same transaction. Nothing is acknowledged before the commit.
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </summary>
internal sealed partial class EventIngestor(IChatportStore store, OutboxFactory outboxes, TimeProvider time, ILogger<EventIngestor> logger)
{
    public async Task<EventBatchResult> IngestAsync(IReadOnlyList<EventItem> items)
    {
        var accepted = 0;
        var duplicates = 0;
        var errors = new ErrorList<EventError>();
        var receivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();

        await using var session = await store.BeginAsync();
        var outbox = outboxes.Open(session);
        var accounts = new Dictionary<long, bool>();
        foreach (var chat in ByChat(items))
        {
            var accountId = chat.Key.AccountId;
            if (!accounts.TryGetValue(accountId, out var exists))
            {
                exists = accounts[accountId] = await session.GetAccountAsync(accountId) is not null;
            }
            if (!exists)
            {
                foreach (var item in chat.Value)
                {
                    if (errors.IsFull)
                    {
                        errors.Skip();
                        continue;
                    }
                    errors.Add(new EventError(item.Index, item.Event.Id,
                        $"Account {accountId} does not exist; create it first with PUT /v1/accounts/{accountId}."));
                }
                continue;
            }

            var record = await session.GetChatAsync(accountId, chat.Key.ChatId);
            var state = record is null ? new ChatState() : ChatStateJson.Deserialize(record.State);
            var changed = false;
            var export = false;
            foreach (var item in chat.Value)
            {
                var chatEvent = item.Event;
                if (!await session.RecordEventAsync(accountId, chatEvent.Id, chatEvent.ChatId, chatEvent.At, receivedAt, item.Raw))
                {
                    duplicates++;
                    continue;
                }
                var result = ChatTracker.Apply(state, chatEvent, receivedAt, out var refusal);
                if (result == ApplyResult.Refused)
                {
                    await session.ForgetEventAsync(accountId, chatEvent.Id);
                    if (errors.IsFull)
                    {
                        errors.Skip();
                    }
                    else
                    {
                        errors.Add(new EventError(item.Index, chatEvent.Id, refusal!));
                    }
                    continue;
                }
                accepted++;
                changed = true;
                export |= result is ApplyResult.Finished or ApplyResult.Rerated;
            }
            if (!changed)
            {
                continue;
            }
            await session.SaveChatAsync(new ChatRecord(accountId, chat.Key.ChatId, ChatStateJson.Serialize(state), receivedAt, state.FinishedBy is not null));
            if (export && ConversationBuilder.Build(accountId, chat.Key.ChatId, state) is { } conversation)
            {
                var written = await outbox.WriteAsync(ConversationRecords.FromBuilt(accountId, chat.Key.ChatId, conversation));
                LogStored(logger, accountId, chat.Key.ChatId, written.Version, written.Outcome.ToString());
            }
        }
        await session.CommitAsync();
        outboxes.Committed(outbox);
        return new EventBatchResult(accepted, duplicates, errors.Count, errors.First);
    }

    /// <summary>The request's events grouped by chat, each group in <c>at</c> order (ties keep request order).</summary>
    private static Dictionary<ChatKey, List<EventItem>> ByChat(IReadOnlyList<EventItem> items)
    {
        var chats = new Dictionary<ChatKey, List<EventItem>>();
        foreach (var item in items)
        {
            var key = new ChatKey(item.Event.AccountId, item.Event.ChatId);
            if (!chats.TryGetValue(key, out var list))
            {
                chats[key] = list = [];
            }
            list.Add(item);
        }
        foreach (var list in chats.Values)
        {
            if (list.Count > 1)
            {
                var sorted = list.OrderBy(i => i.Event.At).ThenBy(i => i.Index).ToList(); // stable
                list.Clear();
                list.AddRange(sorted);
            }
        }
        return chats;
    }

    [LoggerMessage(301, LogLevel.Debug, "Conversation {AccountId}/{ChatId} stored as version {Version} ({Outcome}).")]
    private static partial void LogStored(ILogger logger, long accountId, long chatId, int version, string outcome);
}
