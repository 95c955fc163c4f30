using System.Collections.Concurrent;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// Serializes the writes to one target (a file, a database) and lets the records that queue up while a write runs
/// share the next one: whoever holds the target's lock writes everything queued (up to <c>maxBatch</c>) with one
/// commit, and each submitter is answered when its own record is settled. The dispatcher sends several deliveries of
/// a destination at once, so under load one flush or transaction serves many attempts; alone, a record is written at
/// once. A submitter that gives up (its deadline) before its record was taken is answered with the cancellation and
/// its record is skipped.
/// </summary>
/// <typeparam name="TItem">What is written.</typeparam>
/// <typeparam name="TResult">What each submitter is told once its record is durable.</typeparam>
public sealed class GroupCommit<TItem, TResult>
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<Entry> _queue = new();

    /// <summary>One queued record: <see cref="Complete"/> or <see cref="Fail"/> it once the batch is settled.</summary>
    public sealed class Entry(TItem item)
    {
        private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TItem Item { get; } = item;

        /// <summary>Whether the submitter was already answered (or gave up), so the record need not be written.</summary>
        public bool IsSettled => _done.Task.IsCompleted;

        internal Task<TResult> Task => _done.Task;

        public void Complete(TResult result) => _done.TrySetResult(result);

        public void Fail(Exception error) => _done.TrySetException(error);

        internal void GiveUp(CancellationToken cancellationToken) => _done.TrySetCanceled(cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="item"/> and waits until it is settled: written by this call (with whatever else is
    /// queued) or by the call that held the lock meanwhile. <paramref name="write"/> gets the batch, in arrival order,
    /// and must settle every entry; an exception it throws fails every entry it left unsettled.
    /// </summary>
    public async Task<TResult> SubmitAsync(TItem item, Func<IReadOnlyList<Entry>, CancellationToken, Task> write, int maxBatch,
        CancellationToken cancellationToken)
    {
        var mine = new Entry(item);
        _queue.Enqueue(mine);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            mine.GiveUp(cancellationToken); // a later holder skips it
            throw;
        }
        try
        {
            // Batches are taken in arrival order, so this ends once the batch holding this record is written.
            var more = true;
            while (!mine.IsSettled && more)
            {
                more = await WriteQueuedAsync(write, maxBatch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
        return await mine.Task.ConfigureAwait(false);
    }

    private async Task<bool> WriteQueuedAsync(Func<IReadOnlyList<Entry>, CancellationToken, Task> write, int maxBatch, CancellationToken cancellationToken)
    {
        var batch = new List<Entry>();
        while (batch.Count < maxBatch && _queue.TryDequeue(out var next))
        {
            if (!next.IsSettled)
            {
                batch.Add(next);
            }
        }
        if (batch.Count == 0)
        {
            return false;
        }
        try
        {
            await write(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var entry in batch)
            {
                entry.Fail(e);
            }
            return true;
        }
        foreach (var entry in batch.Where(e => !e.IsSettled))
        {
            entry.Fail(new InvalidOperationException("The record was not written."));
        }
        return true;
    }
}
