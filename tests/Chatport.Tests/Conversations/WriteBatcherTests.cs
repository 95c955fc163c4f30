using Chatport.Conversations;

namespace Chatport.Tests.Conversations;

/// <summary>
/// Group commit above the store: what arrives while a batch is written shares the next one, never more than the
/// bounds, and a failed batch fails only what it must. The write function here records what it was given and, where a
/// test needs it, holds the batch open until the test lets it go (a gate, not a timer).
/// </summary>
public sealed class WriteBatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private sealed class Recorder
    {
        private readonly object _lock = new();
        private int _running;

        public List<int[]> Batches { get; } = [];
        public int MostRunning { get; private set; }
        public TaskCompletionSource Gate { get; set; } = CompletedGate();
        public TaskCompletionSource FirstEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<int[], Exception?> Fail { get; set; } = _ => null;

        public async Task<IReadOnlyList<string>> WriteAsync(IReadOnlyList<int> items)
        {
            var batch = items.ToArray();
            lock (_lock)
            {
                Batches.Add(batch);
                MostRunning = Math.Max(MostRunning, ++_running);
            }
            FirstEntered.TrySetResult();
            try
            {
                await Gate.Task;
                await Task.Yield();
                if (Fail(batch) is { } error)
                {
                    throw error;
                }
                return batch.Select(i => $"r{i}").ToArray();
            }
            finally
            {
                lock (_lock)
                {
                    _running--;
                }
            }
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    [Fact]
    public async Task What_arrives_while_a_batch_is_written_shares_the_next_one_in_arrival_order()
    {
        var recorder = new Recorder { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 64, maxInFlight: 1);

        var first = batcher.WriteAsync(0);
        await recorder.FirstEntered.Task.WaitAsync(Bound);
        var others = Enumerable.Range(1, 10).Select(batcher.WriteAsync).ToArray();
        Assert.DoesNotContain(others, t => t.IsCompleted); // nobody is answered before its batch committed
        recorder.Gate.SetResult();

        Assert.Equal("r0", await first.WaitAsync(Bound));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"r{i}"), await Task.WhenAll(others).WaitAsync(Bound));
        Assert.Equal([[0], Enumerable.Range(1, 10).ToArray()], recorder.Batches);
        Assert.Equal((2L, 11L), batcher.Committed);
    }

    [Fact]
    public async Task A_batch_takes_at_most_max_batch_items_and_the_rest_follow()
    {
        var recorder = new Recorder { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 64, maxInFlight: 1);

        var first = batcher.WriteAsync(0);
        await recorder.FirstEntered.Task.WaitAsync(Bound);
        var others = Enumerable.Range(1, 100).Select(batcher.WriteAsync).ToArray();
        recorder.Gate.SetResult();
        await Task.WhenAll(others.Append(first)).WaitAsync(Bound);

        Assert.Equal([1, 64, 36], recorder.Batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 101), recorder.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task No_more_than_max_in_flight_batches_run_at_once_and_every_item_is_answered()
    {
        var recorder = new Recorder();
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 8, maxInFlight: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 5_000).Select(i => Task.Run(() => batcher.WriteAsync(i)))).WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"r{i}"), results);
        Assert.InRange(recorder.MostRunning, 1, 3);
        Assert.Equal(5_000, recorder.Batches.Sum(b => b.Length));
        Assert.All(recorder.Batches, b => Assert.InRange(b.Length, 1, 8));
    }

    [Fact]
    public async Task An_item_the_store_refuses_fails_alone_and_the_others_are_written_again_each_on_its_own()
    {
        var recorder = new Recorder
        {
            Gate = new(TaskCreationOptions.RunContinuationsAsynchronously),
            Fail = batch => batch.Contains(3) ? new InvalidOperationException("item 3 breaks a constraint") : null,
        };
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 64, maxInFlight: 1);

        var first = batcher.WriteAsync(0);
        await recorder.FirstEntered.Task.WaitAsync(Bound);
        var others = Enumerable.Range(1, 5).Select(batcher.WriteAsync).ToArray();
        recorder.Gate.SetResult();

        Assert.Equal("r0", await first.WaitAsync(Bound));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => others[2].WaitAsync(Bound));
        Assert.Equal("item 3 breaks a constraint", refused.Message);
        Assert.Equal(["r1", "r2", "r4", "r5"], await Task.WhenAll(others.Where((_, i) => i != 2)).WaitAsync(Bound));
        Assert.Equal([[0], [1, 2, 3, 4, 5], [1], [2], [3], [4], [5]], recorder.Batches);
    }

    [Fact]
    public async Task A_store_that_is_unavailable_fails_the_whole_batch_at_once_without_asking_again_per_item()
    {
        var recorder = new Recorder
        {
            Gate = new(TaskCreationOptions.RunContinuationsAsynchronously),
            Fail = batch => batch.Length > 1 ? new TimeoutException("the database did not answer") : null,
        };
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 64, maxInFlight: 1);

        var first = batcher.WriteAsync(0);
        await recorder.FirstEntered.Task.WaitAsync(Bound);
        var others = Enumerable.Range(1, 4).Select(batcher.WriteAsync).ToArray();
        recorder.Gate.SetResult();

        Assert.Equal("r0", await first.WaitAsync(Bound));
        foreach (var other in others)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => other.WaitAsync(Bound));
        }
        Assert.Equal(2, recorder.Batches.Count);
    }

    [Fact]
    public async Task A_write_that_returns_the_wrong_number_of_results_fails_its_callers_rather_than_answering_them_wrongly()
    {
        var batcher = new WriteBatcher<int, string>(_ => Task.FromResult<IReadOnlyList<string>>([]), maxBatch: 64, maxInFlight: 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.WriteAsync(1).WaitAsync(Bound));

        Assert.Contains("returned 0 results", error.Message);
    }

    [Fact]
    public async Task With_a_max_batch_of_one_each_caller_writes_its_own_transaction_at_once()
    {
        var recorder = new Recorder();
        var batcher = new WriteBatcher<int, string>(recorder.WriteAsync, maxBatch: 1, maxInFlight: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => batcher.WriteAsync(i)))).WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}"), results);
        Assert.All(recorder.Batches, b => Assert.Single(b));
        Assert.Equal((50L, 50L), batcher.Committed);
    }
}
