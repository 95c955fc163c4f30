using Chatport.Application.Sources;
using Chatport.Contract;
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
/// It takes no cancellation token: once the body is read, a client that goes away does not stop the transaction,
/// which commits or rolls back on its own terms (bounded by the store's timeouts).
/// </summary>
internal sealed class HookIntake(IChatportStore store, OutboxFactory outboxes, TimeProvider time, IOptions<HookOptions> options)
{
    public async Task<HookReceipt> FileAsync(HookSource source, HookBody conversation, byte[] body, string? messageId)
    {
        var chatId = conversation.Head.ChatId;
        await using var session = await store.BeginAsync();
        if (source.Auth == HookAuth.Standard && messageId is not null)
        {
            var now = time.GetUtcNow();
            var fresh = await session.RememberMessageIdAsync(source.Id, messageId, now, now - 2 * options.Value.TimestampTolerance);
            if (!fresh)
            {
                var latest = await store.GetConversationAsync(source.AccountId, chatId);
                return new HookReceipt("duplicate", source.AccountId, chatId, latest?.Version ?? 0);
            }
        }
        var outbox = outboxes.Open(session);
        var written = await outbox.WriteAsync(ConversationRecords.From(source.AccountId, chatId, conversation.Head, body, ConversationRecords.Hook, conversation.ExportBody));
        await session.CommitAsync();
        outboxes.Committed(outbox);
        return new HookReceipt(ConversationRecords.Describe(written.Outcome), source.AccountId, chatId, written.Version);
    }


    public static string? MessageIdOf(HttpRequest request) => request.Headers[WebhookHeaders.Id].ToString() is { Length: > 0 } id ? id : null;
}
