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
    private readonly Action _lowWater;
    private readonly int _capacity;
    private readonly Func<int> _maxWorkers;
    private readonly CancellationToken _stopping;
    private readonly CancellationToken _abort;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _queued;
    private int _workers;

    /// <param name="maxWorkers">How many deliveries may be sent at once; asked each time a worker could start (it may change once the destination's kind is known).</param>
    /// <param name="lowWater">Called when the lane drains to half its capacity: room for the poller to refill it.</param>
    /// <param name="stopping">Once cancelled, workers take no further delivery: what is being sent finishes, the rest stays queued.</param>
    /// <param name="abort">Cancels the sends in flight (a stop that ran out of time).</param>
    public DestinationLane(int capacity, Func<int> maxWorkers, Func<DeliveryWork, CancellationToken, Task<bool>> process, Action<DeliveryWork, bool> done,
        Action lowWater, CancellationToken stopping, CancellationToken abort)
    {
        _lowWater = lowWater;
        _capacity = capacity;
        _maxWorkers = maxWorkers;
        _process = process;
        _done = done;
        _stopping = stopping;
        _abort = abort;
        _queue = Channel.CreateUnbounded<DeliveryWork>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    }

    /// <summary>
    /// Room left for deliveries in memory. It is checked when a delivery is admitted (written leased by the outbox,
    /// or claimed by the poller), not when it is posted: a delivery admitted and leased must reach the lane even if
    /// others admitted at the same moment filled it meanwhile, or it would wait for its lease to run out. The lane
    /// can so exceed its capacity by what was admitted concurrently (a few requests' worth), never without bound.
    /// </summary>
    public int FreeCapacity => Math.Max(0, _capacity - Volatile.Read(ref _queued));

    /// <summary>Queues an admitted delivery.</summary>
    public void Post(DeliveryWork delivery)
    {
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(delivery);
        StartWorkerIfNeeded();
    }

    /// <summary>Completes once the lane is stopping and no worker is left: every send it started has finished.</summary>
    public Task IdleAsync()
    {
        if (Volatile.Read(ref _workers) == 0)
        {
            _idle.TrySetResult();
        }
        return _idle.Task;
    }

    /// <summary>Takes what is still queued (never sent), once the lane is idle.</summary>
    public List<DeliveryWork> TakeQueued()
    {
        var queued = new List<DeliveryWork>();
        while (_queue.Reader.TryRead(out var delivery))
        {
            queued.Add(delivery);
        }
        return queued;
    }

    private void StartWorkerIfNeeded()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var workers = Volatile.Read(ref _workers);
            if (workers >= _maxWorkers() || workers >= Volatile.Read(ref _queued))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _workers, workers + 1, workers) == workers)
            {
                StartWorker();
                return;
            }
        }
    }

    /// <summary>
    /// A worker outlives the request that happened to start it: it must not carry that request's execution context
    /// (its Activity, its scoped async-locals) into every delivery it sends afterwards, hence the unsafe queueing,
    /// which captures none.
    /// </summary>
    private void StartWorker() => ThreadPool.UnsafeQueueUserWorkItem(static lane => _ = lane.WorkAsync(), this, preferLocal: false);

    private async Task WorkAsync()
    {
        while (true)
        {
            while (!_stopping.IsCancellationRequested && _queue.Reader.TryRead(out var delivery))
            {
                var recorded = false;
                try
                {
                    recorded = await _process(delivery, _abort);
                }
                catch (OperationCanceledException) when (_abort.IsCancellationRequested)
                {
                }
                finally
                {
                    var queued = Interlocked.Decrement(ref _queued);
                    _done(delivery, recorded);
                    if (queued == _capacity / 2)
                    {
                        _lowWater();
                    }
                }
            }
            if (Interlocked.Decrement(ref _workers) == 0 && _stopping.IsCancellationRequested)
            {
                _idle.TrySetResult();
            }
            // A delivery posted between the last TryRead and the decrement must not be stranded: take a
            // worker's place again unless the lane is already fully staffed (or stopping).
            if (_stopping.IsCancellationRequested || !_queue.Reader.TryPeek(out _) || !TryTakeWorkerPlace())
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
            if (workers >= _maxWorkers())
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
