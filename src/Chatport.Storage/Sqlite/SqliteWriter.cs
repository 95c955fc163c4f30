using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// The one writer of a SQLite file, with group commit. SQLite has a single writer at a time and every commit
/// costs an fsync; committing each request on its own caps a node at the disk's fsyncs per second. Here
/// sessions run one after another on one long-lived connection, each inside a SAVEPOINT of a shared
/// transaction: a session that commits releases its savepoint and waits; the transaction commits (one fsync)
/// when no other session is waiting to start, and every session in it is then acknowledged together. A
/// session that does not commit rolls back to its savepoint, leaving the others untouched. Nobody is told
/// "committed" before the fsync that makes it true. Copying the WAL back into the database file (checkpoints) is
/// not done here but beside the writer, by <see cref="SqliteCheckpointer"/> on its own connection; nor is the
/// fsync: the commit returns once the group's frames are in the WAL, and <see cref="SqliteWalSyncer"/> flushes the
/// WAL and acknowledges the group off the writer's lock, while the next group already runs.
/// </summary>
internal sealed class SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open, int walRestartFrames = SqliteWriter.DefaultWalRestartFrames) : IAsyncDisposable
{
    /// <summary>Past this many WAL frames (4 KiB pages: 40 MiB), the writer restarts the WAL (see <see cref="SqliteCheckpointer"/>).</summary>
    public const int DefaultWalRestartFrames = 10_000;

    /// <summary>
    /// The checkpointer is woken once the writer's commits have written this many pages (frames) since it last was:
    /// SQLite's own automatic cadence. Waking it after every commit made a steady stream of small commits pay a
    /// checkpoint's fsync beside each of theirs.
    /// </summary>
    public const int CheckpointEveryFrames = 1_000;

    /// <summary>
    /// The writer's page cache, in KiB (SQLite's default is 2 MiB). A burst's group transaction dirties more pages
    /// than 2 MiB holds, and SQLite then spills pages to the WAL before the commit, writing some twice, and reads
    /// evicted pages back. But every commit also walks the cache's whole hash table (<c>pager_end_transaction</c> →
    /// <c>pcache1TruncateUnsafe</c>), which costs in proportion to what the cache holds: at 64 MiB that walk was the top
    /// symbol of a one-event-per-request profile (11 %), where groups are small and commits many. 8 MiB keeps a
    /// 100,000-conversation burst's rate (bench/README.md, "Issue 20": 17,296 against 17,843/s, the same CPU) and
    /// takes one-event and one-hook requests 1.2–1.4 × further. It is filled only as pages are used.
    /// </summary>
    public const int WriterCacheKiB = 8 * 1024;

    private int _framesSinceCheckpoint;
    private int _framesSinceRestart;

    private readonly SqliteCheckpointer _checkpointer = new(open, walRestartFrames);
    private SqliteWalSyncer? _syncer;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _waiting;
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;
    private List<TaskCompletionSource>? _group;
    private readonly SqliteStatementCache _statements = new();

    // Sessions run one after another, so they all use the one savepoint name (and its compiled statements).
    private const string OpenSavepoint = "SAVEPOINT session";
    private const string ReleaseSavepoint = "RELEASE session";
    private const string RollBackToSavepoint = "ROLLBACK TO session";

    /// <summary>Starts a session: waits for the writer, then opens a savepoint in the current group's transaction.</summary>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            // Not cancellable: a waiter that left would strand the group the current holder handed over to it.
            await _lock.WaitAsync(CancellationToken.None);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            _connection ??= await OpenWriterAsync(cancellationToken);
            if (_transaction is null)
            {
                _transaction = _connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
                _group = [];
            }
            await ExecuteAsync(OpenSavepoint);
        }
        catch
        {
            await EndAsync(inSession: false, commit: false);
            throw;
        }
    }

    /// <summary>
    /// Ends a session: keeps (<paramref name="commit"/>) or undoes its work, then either commits the group now
    /// or, when another session is waiting, hands the group to it. A kept session returns once the group's
    /// commit is durable, and throws if that commit failed.
    /// </summary>
    public Task LeaveAsync(bool commit) => EndAsync(inSession: true, commit);

    /// <param name="inSession">False when entering failed: there is no session's work to keep or undo.</param>
    private async Task EndAsync(bool inSession, bool commit)
    {
        Task? durable = null;
        try
        {
            if (inSession && _transaction is not null)
            {
                if (commit)
                {
                    await ExecuteAsync(ReleaseSavepoint);
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _group!.Add(done);
                    durable = done.Task;
                }
                else
                {
                    await ExecuteAsync(RollBackToSavepoint);
                    await ExecuteAsync(ReleaseSavepoint);
                }
            }
            if (Volatile.Read(ref _waiting) == 0)
            {
                await CommitGroupAsync();
            }
        }
        catch (Exception e)
        {
            await FailGroupAsync(e);
        }
        finally
        {
            _lock.Release();
        }
        if (durable is not null)
        {
            await durable;
        }
    }

    private async Task CommitGroupAsync()
    {
        if (_transaction is null)
        {
            return;
        }
        var group = _group!;
        try
        {
            await _transaction.CommitAsync();
        }
        catch (Exception e)
        {
            await FailGroupAsync(e);
            return;
        }
        await _transaction.DisposeAsync();
        _transaction = null;
        _group = null;
        PokeCheckpointerPerCadence();
        if (_syncer is not null)
        {
            _syncer.Committed(group);
        }
        else
        {
            foreach (var member in group)
            {
                member.TrySetResult(); // not in WAL mode: the commit itself was synchronous=FULL
            }
        }
        // Asked for by a checkpoint that found the WAL long, or counted here: pages written since the last restart. The
        // count is what keeps the WAL bounded: as commits do not wait for their fsync, the writer can outrun checkpoints,
        // each taking long enough for the WAL to grow by megabytes before it asks.
        if (_checkpointer.RestartWanted || _framesSinceRestart >= walRestartFrames)
        {
            await RestartWalAsync();
        }
    }

    /// <summary>Counts the pages this connection wrote to the WAL since the last call; past the cadence, wakes the checkpointer.</summary>
    private void PokeCheckpointerPerCadence()
    {
        SQLitePCL.raw.sqlite3_db_status(_connection!.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out var written, out _, resetFlg: 1);
        _framesSinceCheckpoint += written;
        _framesSinceRestart += written;
        if (_framesSinceCheckpoint >= CheckpointEveryFrames)
        {
            _framesSinceCheckpoint = 0;
            _checkpointer.Poke();
        }
    }

    /// <summary>
    /// Copies what is left of the WAL and makes the next transaction write it from the beginning. Readers still on an
    /// old snapshot are waited for briefly, not for the connection's 30 s: if they hold on, the next commit tries again.
    /// </summary>
    private async Task RestartWalAsync()
    {
        await using var command = _connection!.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout=200; PRAGMA wal_checkpoint(RESTART); PRAGMA busy_timeout={SqliteStore.BusyTimeoutMs};";
        var busy = false;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync())
                {
                    busy |= reader.FieldCount == 3 && reader.GetInt64(0) != 0;
                }
            }
            while (await reader.NextResultAsync());
        }
        if (!busy)
        {
            _checkpointer.Restarted();
            _framesSinceRestart = 0;
            Interlocked.Increment(ref _restarts);
        }
        else
        {
            Interlocked.Increment(ref _restartsBusy);
        }
    }

    /// <summary>The writer's connection, which leaves checkpoints to <see cref="SqliteCheckpointer"/>.</summary>
    /// <exception cref="SqliteException">SQLITE_READONLY: SQLite could open the file for reading only (a read-only
    /// data dir); nothing is kept of that connection, so the next write opens the file afresh — once it can be
    /// written again, without a restart.</exception>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await open(cancellationToken);
        try
        {
            ThrowIfReadOnly(connection);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-{WriterCacheKiB};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "PRAGMA journal_mode;";
            var wal = string.Equals(await command.ExecuteScalarAsync(cancellationToken) as string, "wal", StringComparison.OrdinalIgnoreCase);
            if (wal)
            {
                // Commits without an fsync; the syncer flushes the WAL before anyone is acknowledged.
                command.CommandText = "PRAGMA synchronous=NORMAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
                _syncer ??= new SqliteWalSyncer(SQLitePCL.raw.sqlite3_db_filename(connection.Handle, "main").utf8_to_string());
                _syncer.WriterReopened();
            }
            return connection;
        }
        catch
        {
            SqliteConnection.ClearPool(connection); // not back into the pool: a read-only handle must not be handed out again
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws SQLITE_READONLY when SQLite could open the database for reading only (a read-only data dir).</summary>
    internal static void ThrowIfReadOnly(SqliteConnection connection)
    {
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            throw new SqliteException("The database can only be read: the data folder is read-only.", 8);
        }
    }

    private long _restarts;
    private long _restartsBusy;

    /// <summary>WAL restarts done, and tried while a reader held on (for tests and diagnostics).</summary>
    internal (long Done, long Busy) Restarts => (Interlocked.Read(ref _restarts), Interlocked.Read(ref _restartsBusy));

    /// <summary>Checkpoints run so far by the writer's checkpointer.</summary>
    internal long Checkpoints => _checkpointer.Completed;

    /// <summary>The WAL's syncer, once the writer has a connection in WAL mode (for tests).</summary>
    internal SqliteWalSyncer? Syncer => _syncer;

    /// <summary>Times the writer woke its checkpointer (for tests).</summary>
    internal long CheckpointerPokes => _checkpointer.Pokes;

    /// <summary>The group's transaction failed: nobody in it is acknowledged, and the connection starts afresh.</summary>
    private async Task FailGroupAsync(Exception error)
    {
        var group = _group ?? [];
        _group = null;
        if (_transaction is not null)
        {
            try
            {
                await _transaction.DisposeAsync();
            }
            catch (SqliteException)
            {
            }
            _transaction = null;
        }
        if (_connection is not null)
        {
            _statements.Clear();
            SqliteConnection.ClearPool(_connection); // a fresh handle next time (the file may have become writable again)
            await _connection.DisposeAsync();
            _connection = null;
        }
        foreach (var member in group)
        {
            member.TrySetException(new InvalidOperationException("The store's commit failed; nothing of this request was kept.", error));
        }
    }

    /// <summary>The cached command for <paramref name="sql"/> on the writer connection, in the group's transaction.</summary>
    internal SqliteCommand Statement(string sql) => _statements.Get(_connection!, _transaction, sql);

    /// <summary>The compiled statement for <paramref name="sql"/> on the writer connection (see <see cref="SqliteRawStatement"/>).</summary>
    internal SqliteRawStatement RawStatement(string sql) => _statements.Raw(_connection!, sql);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Statement(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            await CommitGroupAsync();
            if (_syncer is not null)
            {
                await _syncer.DisposeAsync();
            }
            await _checkpointer.DisposeAsync();
            if (_connection is not null)
            {
                _statements.Clear();
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
