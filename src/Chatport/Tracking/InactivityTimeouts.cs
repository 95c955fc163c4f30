using Chatport.Conversations;
using Chatport.Delivery.Outbox;
using Chatport.Storage;
using Chatport.Storage.Chats;
using Microsoft.Extensions.Options;

namespace Chatport.Tracking;

/// <summary>
/// Finishes, as dropped, every open chat with no new event for its account's inactivity timeout, measured
/// on the injected clock from the arrival of its last event. Each chat is re-checked inside the write
/// transaction, so one that got an event meanwhile stays open and none is finished twice.
/// </summary>
internal sealed partial class InactivityTimeouts(IChatportStore store, OutboxFactory outboxes, TimeProvider time, IOptions<InactivityOptions> options, ILogger<InactivityTimeouts> logger)
{
    /// <summary>Finishes what has timed out now; returns how many chats it finished.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var finished = 0;
        while (true)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var due = await store.FindInactiveChatsAsync(now, options.Value.BatchSize, cancellationToken);
            if (due.Count == 0)
            {
                return finished;
            }
            var batch = await FinishAsync(due, now, cancellationToken);
            finished += batch;
            if (batch == 0 || due.Count < options.Value.BatchSize)
            {
                return finished;
            }
        }
    }

    private async Task<int> FinishAsync(IReadOnlyList<ChatKey> due, long now, CancellationToken cancellationToken)
    {
        var finished = 0;
        await using var session = await store.BeginAsync(cancellationToken);
        var outbox = outboxes.Open(session);
        foreach (var key in due)
        {
            var record = await session.GetChatAsync(key.AccountId, key.ChatId, cancellationToken);
            var account = await session.GetAccountAsync(key.AccountId, cancellationToken);
            if (record is null || record.Finished || account is null
                || record.LastEventAt + account.InactivityTimeoutSeconds * 1000L > now)
            {
                continue;
            }
            var state = ChatStateJson.Deserialize(record.State);
            if (!ChatTracker.FinishForInactivity(state, now))
            {
                continue;
            }
            await session.SaveChatAsync(record with { State = ChatStateJson.Serialize(state), Finished = true }, cancellationToken);
            if (ConversationBuilder.Build(key.AccountId, key.ChatId, state) is { } conversation)
            {
                await outbox.WriteAsync(ConversationRecords.FromBuilt(key.AccountId, key.ChatId, conversation), cancellationToken);
            }
            finished++;
        }
        await session.CommitAsync(cancellationToken);
        outboxes.Committed(outbox);
        if (finished > 0)
        {
            LogDropped(logger, finished);
        }
        return finished;
    }

    [LoggerMessage(501, LogLevel.Information, "Finished {Count} inactive chat(s) as dropped.")]
    private static partial void LogDropped(ILogger logger, int count);
}
