using Chatport.Api;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Tracking;

namespace Chatport.Sources.Events;

/// <summary>
/// Applies a request's events to their chats in one store transaction: each chat's events in <c>at</c>
/// order, repeated ids ignored (an id repeated within the request is a duplicate of its first), refused events
/// reported; chats that finish (or are re-rated) are stored as a new conversation version in the same transaction.
/// The request's chats, events, saved states and conversations go to the store a list at a time, so PostgreSQL
/// spends a few round trips per request rather than several per chat. Nothing is acknowledged before the commit.
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
        var chats = await KnownAccountsAsync(session, ByChat(items), errors);

        // The request's chats, then its events, each in one call (a store may take one statement for each): every
        // event is recorded before any is applied, and the ones the tracker refuses are forgotten again below.
        var records = await session.GetChatsAsync(chats.ConvertAll(c => c.Key));
        var events = new List<EventWrite>(items.Count);
        foreach (var (_, list) in chats)
        {
            events.AddRange(list.Select(i => new EventWrite(i.Event.AccountId, i.Event.Id, i.Event.ChatId, i.Event.At, receivedAt, i.Raw)));
        }
        var recorded = await session.RecordEventsAsync(events);

        var refused = new List<EventWrite>();
        var saved = new List<ChatRecord>();
        var finished = new List<ConversationWrite>();
        var next = 0;
        for (var c = 0; c < chats.Count; c++)
        {
            var (key, list) = chats[c];
            var state = records[c] is { } record ? ChatStateJson.Deserialize(record.State) : new ChatState();
            var changed = false;
            var export = false;
            foreach (var item in list)
            {
                var write = events[next];
                if (!recorded[next++])
                {
                    duplicates++;
                    continue;
                }
                var result = ChatTracker.Apply(state, item.Event, receivedAt, out var refusal);
                if (result == ApplyResult.Refused)
                {
                    refused.Add(write);
                    if (errors.IsFull)
                    {
                        errors.Skip();
                    }
                    else
                    {
                        errors.Add(new EventError(item.Index, item.Event.Id, refusal!));
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
            saved.Add(new ChatRecord(key.AccountId, key.ChatId, ChatStateJson.Serialize(state), receivedAt, state.FinishedBy is not null));
            if (export && ConversationBuilder.Build(key.AccountId, key.ChatId, state) is { } conversation)
            {
                finished.Add(ConversationRecords.FromBuilt(key.AccountId, key.ChatId, conversation));
            }
        }
        if (refused.Count > 0)
        {
            await session.ForgetEventsAsync(refused);
        }
        if (saved.Count > 0)
        {
            await session.SaveChatsAsync(saved);
        }
        if (finished.Count > 0)
        {
            var written = await outbox.WriteAsync(finished);
            for (var i = 0; i < finished.Count; i++)
            {
                LogStored(logger, finished[i].AccountId, finished[i].ChatId, written[i].Version, written[i].Outcome.ToString());
            }
        }
        await session.CommitAsync();
        outboxes.Committed(outbox);
        return new EventBatchResult(accepted, duplicates, errors.Count, errors.First);
    }

    /// <summary>The chats whose account exists; every event of the others is refused with a reason.</summary>
    private static async Task<List<KeyValuePair<ChatKey, List<EventItem>>>> KnownAccountsAsync(
        IStoreSession session, Dictionary<ChatKey, List<EventItem>> chats, ErrorList<EventError> errors)
    {
        var known = new List<KeyValuePair<ChatKey, List<EventItem>>>(chats.Count);
        var accounts = new Dictionary<long, bool>();
        foreach (var chat in chats)
        {
            var accountId = chat.Key.AccountId;
            if (!accounts.TryGetValue(accountId, out var exists))
            {
                exists = accounts[accountId] = await session.GetAccountAsync(accountId) is not null;
            }
            if (exists)
            {
                known.Add(chat);
                continue;
            }
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
        }
        return known;
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
