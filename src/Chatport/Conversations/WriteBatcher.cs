using System.Collections.Concurrent;
using Chatport.Storage;

namespace Chatport.Conversations;

/// <summary>
/// Group commit above the store: writes that arrive together share one store transaction, so a stream of
/// one-conversation requests pays one transaction (one <c>COMMIT</c>, a few statements) per batch instead of per request.
/// An item starts a batch at once when fewer than <c>maxInFlight</c> batches are running; otherwise it waits in the
/// queue, and the next batch to start takes it with up to <c>maxBatch</c> others. No item waits for a timer or for
/// the batch to fill: batches are as large as what arrived while the previous ones ran.
/// </summary>
/// <remarks>
/// Each caller's task completes only once its batch has committed (or failed): durability before acknowledgement
/// holds per item. A batch that fails is written again item by item, each in its own transaction, so one item the
/// store refuses fails only its own caller; a store that is unavailable fails the whole batch at once (each caller
/// answers 503 and its client retries) rather than being asked again per item. Items are never cancelled: once
/// queued, an item is written or failed on the store's own terms (bounded by its timeouts).
/// </remarks>
internal sealed class WriteBatcher<TItem, TResult>
{
    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly int _maxBatch;
    private readonly int _maxInFlight;
    private int _running;

    /// <param name="write">Writes the items in one transaction, in the order given; one result each, in that order.</param>
    /// <param name="maxBatch">The most items one transaction takes.</param>
    /// <param name="maxInFlight">The most batches running at once.</param>
    public WriteBatcher(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, int maxBatch, int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _write = write;
        _maxBatch = maxBatch;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Batches committed so far, and the items they held (for tests and diagnostics).</summary>
    internal (long Batches, long Items) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _items));

    private long _batches;
    private long _items;

    /// <summary>Queues the item; completes with its result once the transaction holding it has committed.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        if (_maxBatch == 1)
        {
            return WriteAloneAsync(item); // batching off: the caller writes its own transaction, as without a batcher
        }
        var entry = new Entry(item);
        _queue.Enqueue(entry);
        TryStart();
        return entry.Done.Task;
    }

    /// <summary>A batch of one, written on the caller's own call: no queue, no bound on batches in flight.</summary>
    private async Task<TResult> WriteAloneAsync(TItem item)
    {
        var entry = new Entry(item);
        await WriteBatchAsync([entry]);
        return await entry.Done.Task;
    }

    /// <summary>Starts a batch if one may run and something waits for it.</summary>
    private void TryStart()
    {
        while (!_queue.IsEmpty)
        {
            var running = Volatile.Read(ref _running);
            if (running >= _maxInFlight)
            {
                return; // a running batch takes the queue when it ends
            }
            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                _ = RunAsync();
                return;
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            List<Entry> batch;
            while ((batch = Take()).Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
        TryStart(); // an item queued after the last Take, while this batch still counted as running
    }

    private List<Entry> Take()
    {
        var batch = new List<Entry>(Math.Min(_maxBatch, 16));
        while (batch.Count < _maxBatch && _queue.TryDequeue(out var entry))
        {
            batch.Add(entry);
        }
        return batch;
    }

    private async Task WriteBatchAsync(List<Entry> batch)
    {
        try
        {
            var results = await _write(batch.ConvertAll(e => e.Item));
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"A batch of {batch.Count} writes returned {results.Count} results.");
            }
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception e) when (batch.Count > 1 && !StoreUnavailable.Is(e))
        {
            foreach (var entry in batch)
            {
                await WriteBatchAsync([entry]);
            }
        }
        catch (Exception e)
        {
            foreach (var entry in batch)
            {
                entry.Done.TrySetException(e);
            }
        }
    }

    private sealed class Entry(TItem item)
    {
        public TItem Item { get; } = item;

        // Completed by the batch's loop: its callers continue elsewhere, never inside the loop.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
