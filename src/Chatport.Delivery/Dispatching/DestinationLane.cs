using System.Threading.Channels;
using Chatport.Storage.Deliveries;

namespace Chatport.Delivery.Dispatching;

/// <summary>
/// One destination's own queue and workers. A slow or dead destination fills only its own lane, so it never
/// delays another destination's deliveries (no head-of-line blocking).
/// </summary>
internal sealed class DestinationLane
{
    private readonly Channel<DeliveryWork> _queue;
    private readonly Func<DeliveryWork, CancellationToken, Task<bool>> _process;
    private readonly Action<DeliveryWork, bool> _done;
    private readonly int _capacity;
    private readonly int _maxWorkers;
    private readonly CancellationToken _stopping;
    private int _queued;
    private int _workers;

    public DestinationLane(int capacity, int maxWorkers, Func<DeliveryWork, CancellationToken, Task<bool>> process, Action<DeliveryWork, bool> done, CancellationToken stopping)
    {
        _capacity = capacity;
        _maxWorkers = maxWorkers;
        _process = process;
        _done = done;
        _stopping = stopping;
        _queue = Channel.CreateUnbounded<DeliveryWork>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    }

    /// <summary>Room left for deliveries in memory.</summary>
    public int FreeCapacity => Math.Max(0, _capacity - Volatile.Read(ref _queued));

    /// <summary>Queues a delivery; false when the lane is full (it then waits in the store).</summary>
    public bool TryPost(DeliveryWork delivery)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        _queue.Writer.TryWrite(delivery);
        StartWorkerIfNeeded();
        return true;
    }

    private void StartWorkerIfNeeded()
    {
        while (true)
        {
            var workers = Volatile.Read(ref _workers);
            if (workers >= _maxWorkers || workers >= Volatile.Read(ref _queued))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _workers, workers + 1, workers) == workers)
            {
                _ = Task.Run(WorkAsync);
                return;
            }
        }
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            while (_queue.Reader.TryRead(out var delivery))
            {
                var recorded = false;
                try
                {
                    recorded = await _process(delivery, _stopping);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                }
                finally
                {
                    Interlocked.Decrement(ref _queued);
                    _done(delivery, recorded);
                }
            }
            Interlocked.Decrement(ref _workers);
            // A delivery posted between the last TryRead and the decrement must not be stranded: take a
            // worker's place again unless the lane is already fully staffed.
            if (!_queue.Reader.TryPeek(out _) || !TryTakeWorkerPlace())
            {
                return;
            }
        }
    }

    private bool TryTakeWorkerPlace()
    {
        while (true)
        {
            var workers = Volatile.Read(ref _workers);
            if (workers >= _maxWorkers)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _workers, workers + 1, workers) == workers)
            {
                return true;
            }
        }
    }
}
