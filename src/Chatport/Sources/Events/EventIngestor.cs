using Chatport.Api;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Chats;
using Chatport.Storage.Conversations;
using Chatport.Tracking;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Events;

/// <summary>
/// Applies a request's events to their chats in one store transaction: each chat's events in <c>at</c>
/// order, repeated ids ignored (an id repeated within the request is a duplicate of its first), refused events
/// reported; chats that finish (or are re-rated) are stored as a new conversation version in the same transaction.
/// Nothing is acknowledged before the commit.
/// </summary>
/// <remarks>
/// Small requests (up to <see cref="SharedUpTo"/> events: one event per request is what a chat platform streams) that
/// arrive together share a transaction (<see cref="WriteBatcher{TItem, TResult}"/>), each answered with its own counts
/// and errors; a chat named by several of them gets their events request by request, in arrival order. Within a
/// transaction the chats, events, saved states and conversations go to the store a list at a time, so PostgreSQL
/// spends a few round trips per transaction rather than several per chat.
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </remarks>
internal sealed partial class EventIngestor
{
    /// <summary>The most events a request may have to share a transaction with others.</summary>
    public const int SharedUpTo = 64;

    private readonly IChatportStore _store;
    private readonly OutboxFactory _outboxes;
    private readonly TimeProvider _time;
    private readonly ILogger<EventIngestor> _logger;
    private readonly WriteBatcher<IReadOnlyList<EventItem>, EventBatchResult> _small;

    public EventIngestor(IChatportStore store, OutboxFactory outboxes, TimeProvider time, ILogger<EventIngestor> logger, IOptions<GroupCommitOptions> groupCommit)
    {
        _store = store;
        _outboxes = outboxes;
        _time = time;
        _logger = logger;
        _small = new(IngestAllAsync, groupCommit.Value.MaxRequests, groupCommit.Value.InFlight);
    }

    /// <summary>Transactions committed for small requests, and the requests they held (for tests and diagnostics).</summary>
    internal (long Batches, long Items) SmallCommitted => _small.Committed;

    public async Task<EventBatchResult> IngestAsync(IReadOnlyList<EventItem> items) =>
        items.Count <= SharedUpTo ? await _small.WriteAsync(items) : (await IngestAllAsync([items]))[0];

    /// <summary>Several requests' events in one transaction; one result per request, in the order given.</summary>
    private async Task<IReadOnlyList<EventBatchResult>> IngestAllAsync(IReadOnlyList<IReadOnlyList<EventItem>> requests)
    {
        var tallies = requests.Select(_ => new Tally()).ToArray();
        var receivedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();

        await using var session = await _store.BeginAsync();
        var outbox = _outboxes.Open(session);
        var chats = await KnownAccountsAsync(session, ByChat(requests), tallies);

        // The chats, then their events, each in one call (a store may take one statement for each): every event is
        // recorded before any is applied, and the ones the tracker refuses are forgotten again below.
        var records = await session.GetChatsAsync(chats.ConvertAll(c => c.Key));
        var events = new List<EventWrite>();
        foreach (var (_, list) in chats)
        {
            events.AddRange(list.Select(e => new EventWrite(e.Item.Event.AccountId, e.Item.Event.Id, e.Item.Event.ChatId, e.Item.Event.At, receivedAt, e.Item.Raw)));
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
            foreach (var (request, item) in list)
            {
                var tally = tallies[request];
                var write = events[next];
                if (!recorded[next++])
                {
                    tally.Duplicates++;
                    continue;
                }
                var result = ChatTracker.Apply(state, item.Event, receivedAt, out var refusal);
                if (result == ApplyResult.Refused)
                {
                    refused.Add(write);
                    tally.Refuse(new EventError(item.Index, item.Event.Id, refusal!));
                    continue;
                }
                tally.Accepted++;
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
                LogStored(_logger, finished[i].AccountId, finished[i].ChatId, written[i].Version, written[i].Outcome.ToString());
            }
        }
        await session.CommitAsync();
        _outboxes.Committed(outbox);
        return Array.ConvertAll(tallies, t => new EventBatchResult(t.Accepted, t.Duplicates, t.Errors.Count, t.Errors.First));
    }

    /// <summary>The chats whose account exists; every event of the others is refused with a reason.</summary>
    private static async Task<List<KeyValuePair<ChatKey, List<(int Request, EventItem Item)>>>> KnownAccountsAsync(
        IStoreSession session, Dictionary<ChatKey, List<(int Request, EventItem Item)>> chats, Tally[] tallies)
    {
        var known = new List<KeyValuePair<ChatKey, List<(int Request, EventItem Item)>>>(chats.Count);
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
            foreach (var (request, item) in chat.Value)
            {
                tallies[request].Refuse(new EventError(item.Index, item.Event.Id,
                    $"Account {accountId} does not exist; create it first with PUT /v1/accounts/{accountId}."));
            }
        }
        return known;
    }

    /// <summary>
    /// The requests' events grouped by chat (chats in the order first named): each request's events of the chat in
    /// <c>at</c> order (ties keep request order), request after request.
    /// </summary>
    private static Dictionary<ChatKey, List<(int Request, EventItem Item)>> ByChat(IReadOnlyList<IReadOnlyList<EventItem>> requests)
    {
        var chats = new Dictionary<ChatKey, List<(int Request, EventItem Item)>>();
        for (var r = 0; r < requests.Count; r++)
        {
            var start = new Dictionary<ChatKey, int>();
            foreach (var item in requests[r])
            {
                var key = new ChatKey(item.Event.AccountId, item.Event.ChatId);
                if (!chats.TryGetValue(key, out var list))
                {
                    chats[key] = list = [];
                }
                start.TryAdd(key, list.Count);
                list.Add((r, item));
            }
            foreach (var (key, from) in start)
            {
                var list = chats[key];
                if (list.Count - from > 1)
                {
                    var sorted = list.Skip(from).OrderBy(e => e.Item.Event.At).ThenBy(e => e.Item.Index).ToList(); // stable
                    list.RemoveRange(from, sorted.Count);
                    list.AddRange(sorted);
                }
            }
        }
        return chats;
    }

    /// <summary>One request's counts and the first of its refusals.</summary>
    private sealed class Tally
    {
        public int Accepted { get; set; }
        public int Duplicates { get; set; }
        public ErrorList<EventError> Errors { get; } = new();

        public void Refuse(EventError error)
        {
            if (Errors.IsFull)
            {
                Errors.Skip();
            }
            else
            {
                Errors.Add(error);
            }
        }
    }

    [LoggerMessage(301, LogLevel.Debug, "Conversation {AccountId}/{ChatId} stored as version {Version} ({Outcome}).")]
    private static partial void LogStored(ILogger logger, long accountId, long chatId, int version, string outcome);
}
