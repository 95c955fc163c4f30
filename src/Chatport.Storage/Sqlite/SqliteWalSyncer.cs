using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// Makes the writer's commits durable off its lock (a pipelined group commit). The writer's connection runs with
/// <c>synchronous=NORMAL</c>: its <c>COMMIT</c> appends the group's frames to the WAL without waiting for the disk,
/// and the writer goes on with the next group at once. This syncer then flushes the WAL file to disk, one flush at a
/// time beside the writer, through a handle of its own (an fsync flushes a file, whichever descriptor asks), and only
/// then tells the group's sessions that they committed. Nobody is acknowledged before the fsync that makes their work durable,
/// as with <c>synchronous=FULL</c>; but the writer does not hold its lock through the fsync: it goes on with the next
/// group while the disk flushes. Groups that commit while an fsync runs share the next.
/// <para>
/// What other connections see: a committed group is visible to readers before its fsync returns (it is not yet
/// acknowledged to anyone, and a crash may still take it away, as it may take any unacknowledged request). The WAL
/// is never overwritten under this syncer: SQLite writes it from its beginning again only after a checkpoint that
/// copied every frame into the database file, and a checkpoint flushes the WAL before it copies and the database file
/// after (with <c>synchronous=NORMAL</c> as with <c>FULL</c>).
/// </para>
/// <para>
/// If an fsync fails, its groups and every later one fail: the kernel may have dropped the pages it could not
/// write, so nothing written since can be trusted to reach the disk — restart the node (PostgreSQL stops for the
/// same reason).
/// </para>
/// </summary>
internal sealed partial class SqliteWalSyncer : IAsyncDisposable
{
    private readonly string _walPath;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Task _loop;
    private List<TaskCompletionSource> _pending = [];
    private bool _signalled;
    private bool _stopping;
    private Exception? _failed;
    private volatile bool _reopen = true;
    private SafeFileHandle? _wal;
    private long _syncs;

    /// <param name="databasePath">The database file; its WAL is this path with <c>-wal</c>.</param>
    public SqliteWalSyncer(string databasePath)
    {
        _walPath = databasePath + "-wal";
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Flushes the WAL to disk; tests replace it to hold a flush or make it fail.</summary>
    internal Action<SafeFileHandle> Flush { get; set; } = RandomAccess.FlushToDisk;

    /// <summary>Flushes done (for tests and diagnostics).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>The writer opened a new connection: open the WAL again before the next flush (it may be a new file).</summary>
    public void WriterReopened() => _reopen = true;

    /// <summary>The group's <c>COMMIT</c> returned: its sessions are told once a flush begun after this returns.</summary>
    public void Committed(List<TaskCompletionSource> group)
    {
        lock (_gate)
        {
            if (_failed is null)
            {
                _pending.AddRange(group);
                Signal();
                return;
            }
        }
        Fail(group, _failed);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopping = true;
            Signal();
        }
        await _loop; // flushes what is pending first
        _wal?.Dispose();
    }

    // Under _gate: one wake-up stands for every group added until the loop takes them.
    private void Signal()
    {
        if (!_signalled)
        {
            _signalled = true;
            _signal.Release();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            List<TaskCompletionSource> batch;
            bool stopping;
            lock (_gate)
            {
                batch = _pending;
                _pending = [];
                _signalled = false;
                stopping = _stopping;
            }
            if (batch.Count > 0)
            {
                // The flush blocks this pool thread for as long as the disk takes: one at a time, off the writer's lock.
                SyncAndTell(batch);
            }
            if (stopping)
            {
                return;
            }
        }
    }

    private void SyncAndTell(List<TaskCompletionSource> batch)
    {
        try
        {
            Sync();
            Interlocked.Increment(ref _syncs);
            foreach (var member in batch)
            {
                member.TrySetResult();
            }
        }
        catch (Exception e)
        {
            var failure = new IOException($"Flushing the SQLite WAL ({_walPath}) to disk failed; nothing committed since can be acknowledged. Restart Chatport.", e);
            List<TaskCompletionSource> later;
            lock (_gate)
            {
                _failed ??= failure;
                later = _pending;
                _pending = [];
            }
            Fail(batch, failure);
            Fail(later, failure);
        }
    }

    private void Sync()
    {
        if (_reopen || _wal is null)
        {
            _reopen = false;
            _wal?.Dispose();
            _wal = File.OpenHandle(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            // A new WAL's name must be on disk too: flush its folder's entry once per opening.
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(_walPath))!);
        }
        Flush(_wal);
    }

    private static void Fail(List<TaskCompletionSource> group, Exception error)
    {
        foreach (var member in group)
        {
            member.TrySetException(error);
        }
    }

    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals its directory entries; a folder cannot be flushed there
        }
        var fd = Posix.Open(directory, 0); // O_RDONLY
        if (fd < 0)
        {
            throw new IOException($"Could not open {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Posix.Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    /// <summary>.NET cannot open a folder as a file, so flushing one takes the C library's calls.</summary>
    private static partial class Posix
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int fd);
    }
}
