using Chatport.Storage.Conversations;
using Chatport.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Sqlite;

/// <summary>The writer's commits are acknowledged only once the WAL is flushed, and the flush runs off its lock.</summary>
public sealed class SqliteWalSyncerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private SqliteStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = SqliteStore.ForDataDir(_dir.Path, _time);
        await _store.MigrateAsync();
        await CommitAsync(1); // the writer has its connection, and the syncer exists
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_session_is_acknowledged_only_after_the_flush_and_the_writer_goes_on_meanwhile()
    {
        var syncer = _store.WalSyncer!;
        var syncsBefore = syncer.Syncs;
        using var held = new ManualResetEventSlim();
        syncer.Flush = handle =>
        {
            held.Wait();
            RandomAccess.FlushToDisk(handle);
        };
        try
        {
            var first = CommitAsync(2);
            await WaitUntilVisibleAsync(2); // committed: readers see it ...
            await Task.Delay(200);
            Assert.False(first.IsCompleted, "a session was acknowledged before the WAL was flushed"); // ... but not acknowledged

            var second = CommitAsync(3);
            await WaitUntilVisibleAsync(3); // the writer took the next group while the flush was held
            Assert.False(second.IsCompleted);

            held.Set();
            await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(syncer.Syncs > syncsBefore);
        }
        finally
        {
            held.Set();
        }
    }

    [Fact]
    public async Task A_failed_flush_fails_its_sessions_and_every_later_one()
    {
        var syncer = _store.WalSyncer!;
        syncer.Flush = _ => throw new IOException("the disk is gone");

        var failed = await Assert.ThrowsAsync<IOException>(() => CommitAsync(2));
        Assert.Contains("Restart Chatport", failed.Message);

        syncer.Flush = RandomAccess.FlushToDisk; // even once flushing works again: what was lost cannot be known
        await Assert.ThrowsAsync<IOException>(() => CommitAsync(3));
    }

    private async Task CommitAsync(long chatId)
    {
        await using var session = await _store.BeginAsync();
        await session.WriteConversationAsync(new ConversationWrite(5, chatId, "{}"u8.ToArray(), ["chat"], 1, 2, "import"));
        await session.CommitAsync();
    }

    private async Task WaitUntilVisibleAsync(long chatId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await _store.GetConversationAsync(5, chatId) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"conversation {chatId} was never committed");
            await Task.Delay(10);
        }
    }
}
