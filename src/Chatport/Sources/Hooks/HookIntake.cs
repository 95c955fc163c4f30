using Chatport.Application.Sources;
using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Delivery.Signing;
using Chatport.Storage;
using Chatport.Storage.Conversations;
using Chatport.Storage.Sources;
using Microsoft.Extensions.Options;

namespace Chatport.Sources.Hooks;

/// <summary>
/// Files one inbound body: parsed as a seed-format conversation (either generation), stored raw under the
/// source's account as a new version unless it equals the latest, routed to the account's destinations — all
/// in one transaction, before any answer. A Standard Webhooks <c>webhook-id</c> seen before is a replay: it
/// is stored once, and answered as a duplicate.
/// Bodies that arrive together share that transaction (<see cref="WriteBatcher{TItem, TResult}"/>, up to
/// <see cref="GroupCommitOptions.MaxRequests"/> of them): each is still answered only once it is committed.
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </summary>
internal sealed class HookIntake
{
    private readonly IChatportStore _store;
    private readonly OutboxFactory _outboxes;
    private readonly TimeProvider _time;
    private readonly HookOptions _options;
    private readonly WriteBatcher<HookWrite, HookReceipt> _batcher;

    public HookIntake(IChatportStore store, OutboxFactory outboxes, TimeProvider time, IOptions<HookOptions> options, IOptions<GroupCommitOptions> groupCommit)
    {
        _store = store;
        _outboxes = outboxes;
        _time = time;
        _options = options.Value;
        _batcher = new(FileAllAsync, groupCommit.Value.MaxRequests, groupCommit.Value.InFlight);
    }

    /// <summary>Batches committed so far, and the bodies they held (for tests and diagnostics).</summary>
    internal (long Batches, long Items) Committed => _batcher.Committed;

    public Task<HookReceipt> FileAsync(HookSource source, HookBody conversation, byte[] body, string? messageId) =>
        _batcher.WriteAsync(new HookWrite(source, conversation, body, messageId));

    /// <summary>
    /// Files the bodies in one transaction, in the order they came. Standard Webhooks ids are remembered first, in key
    /// order, so two transactions sharing ids (on two nodes) wait for each other rather than deadlock; a replayed id,
    /// or one repeated within the batch, makes its body a duplicate.
    /// </summary>
    private async Task<IReadOnlyList<HookReceipt>> FileAllAsync(IReadOnlyList<HookWrite> writes)
    {
        var replays = new bool[writes.Count];
        var writing = new List<int>(writes.Count);
        var conversations = new List<ConversationWrite>(writes.Count);
        IReadOnlyList<ConversationWriteResult> written;
        await using (var session = await _store.BeginAsync())
        {
            var now = _time.GetUtcNow();
            var forgetBefore = now - 2 * _options.TimestampTolerance;
            foreach (var i in Enumerable.Range(0, writes.Count).Where(i => writes[i].RemembersId)
                .OrderBy(i => writes[i].Source.Id, StringComparer.Ordinal).ThenBy(i => writes[i].MessageId, StringComparer.Ordinal))
            {
                replays[i] = !await session.RememberMessageIdAsync(writes[i].Source.Id, writes[i].MessageId!, now, forgetBefore);
            }
            for (var i = 0; i < writes.Count; i++)
            {
                if (!replays[i])
                {
                    var (source, conversation, body, _) = writes[i];
                    writing.Add(i);
                    conversations.Add(ConversationRecords.From(source.AccountId, conversation.Head.ChatId, conversation.Head, body, ConversationRecords.Hook, conversation.ExportBody));
                }
            }
            var outbox = _outboxes.Open(session);
            written = conversations.Count > 0 ? await outbox.WriteAsync(conversations) : [];
            await session.CommitAsync();
            _outboxes.Committed(outbox);
        }

        var receipts = new HookReceipt[writes.Count];
        for (var k = 0; k < writing.Count; k++)
        {
            var (source, conversation, _, _) = writes[writing[k]];
            receipts[writing[k]] = new HookReceipt(ConversationRecords.Describe(written[k].Outcome), source.AccountId, conversation.Head.ChatId, written[k].Version);
        }
        for (var i = 0; i < writes.Count; i++)
        {
            if (replays[i])
            {
                var (source, conversation, _, _) = writes[i];
                var latest = await _store.GetConversationAsync(source.AccountId, conversation.Head.ChatId);
                receipts[i] = new HookReceipt("duplicate", source.AccountId, conversation.Head.ChatId, latest?.Version ?? 0);
            }
        }
        return receipts;
    }

    public static string? MessageIdOf(HttpRequest request) => request.Headers[WebhookHeaders.Id].ToString() is { Length: > 0 } id ? id : null;

    /// <summary>One body to file, as the hook's endpoint checked it.</summary>
    private sealed record HookWrite(HookSource Source, HookBody Conversation, byte[] Body, string? MessageId)
    {
        /// <summary>Only a Standard Webhooks source de-duplicates by <c>webhook-id</c>.</summary>
        public bool RemembersId => Source.Auth == HookAuth.Standard && MessageId is not null;
    }
}
