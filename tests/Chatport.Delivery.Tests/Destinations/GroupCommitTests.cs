using Chatport.Delivery.Destinations;

namespace Chatport.Tests.Destinations;

/// <summary>
/// The group commit shared by the file and sql kinds: records that queue while a write runs share the next one,
/// every submitter is answered with its own result, a failed write fails its whole batch, and one that gives up
/// while waiting is skipped.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Records_queued_while_a_write_runs_share_the_next_write_and_each_gets_its_own_result()
    {
        var commit = new GroupCommit<int, string>();
        var batches = new List<int[]>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        async Task Write(IReadOnlyList<GroupCommit<int, string>.Entry> batch, CancellationToken token)
        {
            lock (batches)
            {
                batches.Add(batch.Select(e => e.Item).ToArray());
            }
            if (batches.Count == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task; // the others queue meanwhile
            }
            foreach (var entry in batch)
            {
                entry.Complete($"#{entry.Item}");
            }
        }

        var first = commit.SubmitAsync(0, Write, 100, CancellationToken.None);
        await firstStarted.Task;
        var rest = Enumerable.Range(1, 20).Select(i => commit.SubmitAsync(i, Write, 100, CancellationToken.None)).ToArray();
        releaseFirst.SetResult();

        Assert.Equal("#0", await first);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"#{i}"), await Task.WhenAll(rest));
        Assert.Equal([0], batches[0]);
        Assert.Equal(Enumerable.Range(1, 20), batches[1]); // all twenty in one write, in arrival order
        Assert.Equal(2, batches.Count);
    }

    [Fact]
    public async Task A_batch_is_at_most_max_batch_and_the_holder_writes_on_until_its_own_record_is_written()
    {
        var commit = new GroupCommit<int, int>();
        var sizes = new List<int>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        async Task Write(IReadOnlyList<GroupCommit<int, int>.Entry> batch, CancellationToken token)
        {
            sizes.Add(batch.Count);
            if (sizes.Count == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
            foreach (var entry in batch)
            {
                entry.Complete(entry.Item * 2);
            }
        }

        var first = commit.SubmitAsync(0, Write, 3, CancellationToken.None);
        await firstStarted.Task;
        var rest = Enumerable.Range(1, 10).Select(i => commit.SubmitAsync(i, Write, 3, CancellationToken.None)).ToArray();
        releaseFirst.SetResult();

        Assert.Equal(0, await first);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 2), await Task.WhenAll(rest));
        Assert.All(sizes, size => Assert.InRange(size, 1, 3));
        Assert.Equal(11, sizes.Sum());
    }

    [Fact]
    public async Task A_write_that_throws_fails_every_record_of_its_batch_and_the_next_batch_is_written()
    {
        var commit = new GroupCommit<int, int>();
        var calls = 0;
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        async Task Write(IReadOnlyList<GroupCommit<int, int>.Entry> batch, CancellationToken token)
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
                throw new IOException("disk full");
            }
            foreach (var entry in batch)
            {
                entry.Complete(entry.Item);
            }
        }

        var failing = commit.SubmitAsync(1, Write, 10, CancellationToken.None);
        await firstStarted.Task;
        var later = commit.SubmitAsync(2, Write, 10, CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal("disk full", (await Assert.ThrowsAsync<IOException>(() => failing)).Message);
        Assert.Equal(2, await later);
    }

    [Fact]
    public async Task A_write_that_leaves_a_record_unsettled_fails_it_rather_than_leaving_its_submitter_waiting()
    {
        var commit = new GroupCommit<int, int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            commit.SubmitAsync(1, (_, _) => Task.CompletedTask, 10, CancellationToken.None));
        Assert.Equal("The record was not written.", error.Message);
    }

    [Fact]
    public async Task A_submitter_that_gives_up_while_waiting_is_answered_at_once_and_its_record_is_not_written()
    {
        var commit = new GroupCommit<int, int>();
        var written = new List<int>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        async Task Write(IReadOnlyList<GroupCommit<int, int>.Entry> batch, CancellationToken token)
        {
            lock (written)
            {
                written.AddRange(batch.Select(e => e.Item));
            }
            if (written.Count == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
            foreach (var entry in batch)
            {
                entry.Complete(entry.Item);
            }
        }

        var first = commit.SubmitAsync(1, Write, 10, CancellationToken.None);
        await firstStarted.Task;
        using var giveUp = new CancellationTokenSource();
        var impatient = commit.SubmitAsync(2, Write, 10, giveUp.Token);
        var patient = commit.SubmitAsync(3, Write, 10, CancellationToken.None);
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(3, await patient);
        Assert.Equal([1, 3], written);
    }
}
