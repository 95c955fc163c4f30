using Chatport.Api;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Conversations;

namespace Chatport.Sources.Import;

/// <summary>
/// Stores imported conversations in one transaction, each exactly as received, as a new version of its
/// (accountId, channel.id) unless it equals the latest one.
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </summary>
internal sealed class ConversationImporter(IChatportStore store, OutboxFactory outboxes)
{
    /// <summary>The result, or the errors when an account does not exist (then nothing is stored).</summary>
    public async Task<(ImportResult? Result, ErrorList<ImportError> Errors)> ImportAsync(IReadOnlyList<ImportItem> items)
    {
        var errors = new ErrorList<ImportError>();
        var results = new List<ImportedConversation>(items.Count);
        await using var session = await store.BeginAsync();
        var outbox = outboxes.Open(session);
        var known = new Dictionary<long, bool>();
        foreach (var item in items)
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
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var writes = new ConversationWrite[items.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            var item = items[i];
            writes[i] = ConversationRecords.From(item.AccountId, item.ChatId, item.Head, item.Raw, ConversationRecords.Import, item.ExportBody);
        }
        var written = await outbox.WriteAsync(writes);
        for (var i = 0; i < writes.Length; i++)
        {
            var item = items[i];
            results.Add(new ImportedConversation(item.Index, item.AccountId, item.ChatId, written[i].Version, ConversationRecords.Describe(written[i].Outcome)));
        }
        await session.CommitAsync();
        outboxes.Committed(outbox);
        var duplicates = results.Count(r => r.Outcome == "duplicate");
        return (new ImportResult(results.Count - duplicates, duplicates, results), errors);
    }

}
