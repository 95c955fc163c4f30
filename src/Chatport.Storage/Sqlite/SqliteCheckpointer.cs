using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, off the writer's path. SQLite's automatic
/// checkpoint runs inside the commit of whichever connection crosses the threshold — here the one writer, while it
/// holds the group: a burst measured its commits at ~30 % of the writer's time, a third of that checkpointing. The
/// writer turns the automatic checkpoint off and pokes this once its commits have written
/// <see cref="SqliteWriter.CheckpointEveryFrames"/> pages; a passive checkpoint then runs beside the next group (WAL
/// allows one checkpointer beside one writer). A checkpoint beside a writer that never
/// pauses never finds the WAL fully copied, so the WAL would never start over and would grow without bound: when a
/// checkpoint reports more than <c>restartFrames</c> frames, <see cref="RestartWanted"/> asks the writer to run a
/// <c>RESTART</c> checkpoint itself after its next commit — cheap by then, the frames being copied already — after
/// which the WAL is written from its beginning again.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly SemaphoreSlim _poked = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private readonly int _restartFrames;
    private volatile bool _restartWanted;

    public SqliteCheckpointer(Func<CancellationToken, Task<SqliteConnection>> open, int restartFrames)
    {
        _open = open;
        _restartFrames = restartFrames;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The WAL has grown past the bound: the writer should restart it (<see cref="Restarted"/> when done).</summary>
    public bool RestartWanted => _restartWanted;

    /// <summary>The writer restarted the WAL.</summary>
    public void Restarted() => _restartWanted = false;

    /// <summary>Checkpoints completed (for tests and diagnostics).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    private long _completed;

    /// <summary>Times the writer woke this (for tests and diagnostics).</summary>
    public long Pokes => Interlocked.Read(ref _pokes);

    private long _pokes;

    /// <summary>New frames were committed: checkpoint soon. Pokes while a checkpoint runs are coalesced into one more.</summary>
    public void Poke()
    {
        Interlocked.Increment(ref _pokes);
        if (_poked.CurrentCount == 0)
        {
            try
            {
                _poked.Release();
            }
            catch (SemaphoreFullException)
            {
                // Poked twice at once: one pending checkpoint covers both.
            }
        }
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _poked.WaitAsync(_stop.Token);
                try
                {
                    connection ??= await _open(_stop.Token);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)"; // one row: busy, frames in the WAL, frames copied
                    await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                    {
                        if (await reader.ReadAsync(_stop.Token) && reader.GetInt64(1) >= _restartFrames)
                        {
                            _restartWanted = true;
                        }
                    }
                    Interlocked.Increment(ref _completed);
                }
                catch (SqliteException)
                {
                    // A checkpoint that could not run (busy, I/O) leaves the frames in the WAL, where every reader
                    // still finds them; the next poke tries again on a fresh connection.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _poked.Dispose();
    }
}

