using Chatport.Api;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Conversations;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Import;

/// <summary>
/// Stores imported conversations in one transaction, each exactly as received, as a new version of its
/// (accountId, channel.id) unless it equals the latest one. A request is checked whole: an account that does not
/// exist refuses it, and nothing of it is stored. One-conversation requests that arrive together share a transaction
/// (<see cref="WriteBatcher{TItem, TResult}"/>), each still checked and answered on its own, once committed.
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </summary>
internal sealed class ConversationImporter
{
    private readonly IChatportStore _store;
    private readonly OutboxFactory _outboxes;
    private readonly WriteBatcher<IReadOnlyList<ImportItem>, (ImportResult? Result, ErrorList<ImportError> Errors)> _singles;

    public ConversationImporter(IChatportStore store, OutboxFactory outboxes, IOptions<GroupCommitOptions> groupCommit)
    {
        _store = store;
        _outboxes = outboxes;
        _singles = new(ImportAllAsync, groupCommit.Value.MaxRequests, groupCommit.Value.InFlight);
    }

    /// <summary>Transactions committed for one-conversation requests, and the requests they held (for tests and diagnostics).</summary>
    internal (long Batches, long Items) SinglesCommitted => _singles.Committed;

    /// <summary>The result, or the errors when an account does not exist (then nothing is stored).</summary>
    public async Task<(ImportResult? Result, ErrorList<ImportError> Errors)> ImportAsync(IReadOnlyList<ImportItem> items) =>
        items.Count == 1 ? await _singles.WriteAsync(items) : (await ImportAllAsync([items]))[0];

    /// <summary>Several requests in one transaction: each checked whole, the conversations of those that pass written together.</summary>
    private async Task<IReadOnlyList<(ImportResult? Result, ErrorList<ImportError> Errors)>> ImportAllAsync(IReadOnlyList<IReadOnlyList<ImportItem>> requests)
    {
        var outcomes = new (ImportResult? Result, ErrorList<ImportError> Errors)[requests.Count];
        var writes = new List<ConversationWrite>();
        var written = new List<ConversationWriteResult>();
        await using (var session = await _store.BeginAsync())
        {
            var outbox = _outboxes.Open(session);
            var known = new Dictionary<long, bool>();
            for (var r = 0; r < requests.Count; r++)
            {
                var errors = new ErrorList<ImportError>();
                foreach (var item in requests[r])
                {
                    if (!known.TryGetValue(item.AccountId, out var exists))
                    {
                        exists = known[item.AccountId] = await session.GetAccountAsync(item.AccountId) is not null;
                    }
                    if (!exists && errors.IsFull)
                    {
                        errors.Skip();
                    }
                    else if (!exists)
                    {
                        errors.Add(new ImportError(item.Index, $"Account {item.AccountId} does not exist; create it first with PUT /v1/accounts/{item.AccountId}.", "$.accountId"));
                    }
                }
                outcomes[r] = (null, errors);
                if (errors.Count == 0)
                {
                    writes.AddRange(requests[r].Select(item => ConversationRecords.From(item.AccountId, item.ChatId, item.Head, item.Raw, ConversationRecords.Import, item.ExportBody)));
                }
            }
            if (writes.Count > 0)
            {
                written.AddRange(await outbox.WriteAsync(writes));
                await session.CommitAsync();
                _outboxes.Committed(outbox);
            }
        }

        var next = 0;
        for (var r = 0; r < requests.Count; r++)
        {
            if (outcomes[r].Errors.Count > 0)
            {
                continue;
            }
            var results = new List<ImportedConversation>(requests[r].Count);
            foreach (var item in requests[r])
            {
                var w = written[next++];
                results.Add(new ImportedConversation(item.Index, item.AccountId, item.ChatId, w.Version, ConversationRecords.Describe(w.Outcome)));
            }
            var duplicates = results.Count(c => c.Outcome == "duplicate");
            outcomes[r] = (new ImportResult(results.Count - duplicates, duplicates, results), outcomes[r].Errors);
        }
        return outcomes;
    }
}
