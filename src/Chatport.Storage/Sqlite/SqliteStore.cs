using System.Data.Common;
using Chatport.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Chatport.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, where a commit is on disk before any caller acknowledges it
/// (<c>synchronous=FULL</c>, except on the writer's connection, whose WAL <see cref="SqliteWalSyncer"/> flushes).
/// The shared SQL is <see cref="RelationalStore"/>'s; here is what SQLite does its own way: sessions run one after
/// another through one <see cref="SqliteWriter"/>, the hottest statements through <see cref="SqliteRawStatement"/>.
/// Split into partial files by concern.
/// </summary>
internal sealed partial class SqliteStore : RelationalStore, IStoreBackup
{
    /// <summary>How long a connection waits for a lock another holds (SQLite's busy handler), in milliseconds.</summary>
    internal const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly string? _file;
    private volatile bool _filePrepared;

    public SqliteStore(string connectionString, TimeProvider time, int walRestartFrames = SqliteWriter.DefaultWalRestartFrames)
        : base(new SqliteDialect(), time)
    {
        _connectionString = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new SqliteWriter(OpenSqliteAsync, walRestartFrames);
        _file = OwnerOnly.SqliteFileOf(connectionString);
    }

    /// <summary>
    /// The store of a file under <paramref name="dataDir"/>, created with its folder when missing; both are the
    /// owner's alone (<see cref="OwnerOnly"/>).
    /// </summary>
    public static SqliteStore ForDataDir(string dataDir, TimeProvider time, int walRestartFrames = SqliteWriter.DefaultWalRestartFrames)
    {
        OwnerOnly.CreateDirectory(dataDir);
        return new SqliteStore($"Data Source={Path.Combine(dataDir, "chatport.db")}", time, walRestartFrames);
    }

    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await SqliteMigrations.ApplyAsync(connection, NowMs(), cancellationToken);
    }

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await OpenSqliteAsync(cancellationToken);

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        if (!_filePrepared && _file is not null)
        {
            // Before SQLite makes the file (0644 under the usual umask): it, and the -wal and -shm that take its mode, are 0600.
            OwnerOnly.PrepareSqliteFile(_file);
            _filePrepared = true;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeoutMs};";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Round-trips the database, and throws SQLITE_READONLY when it could only be opened for reading (a read-only data dir): not ready.</summary>
    public override async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        try
        {
            SqliteWriter.ThrowIfReadOnly(connection);
        }
        catch (SqliteException)
        {
            SqliteConnection.ClearPool(connection); // a fresh handle next time: the folder may be writable again
            throw;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = PingSql;
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<long> BackupAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        // A new file only, owner-only before a byte is in it.
        await new FileStream(full, OwnerOnly.FileOptions(FileMode.CreateNew, FileAccess.Write)).DisposeAsync();
        try
        {
            await using var source = await OpenSqliteAsync(cancellationToken);
            await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            await target.OpenAsync(cancellationToken);
            // SQLite's backup API copies every page as of one read transaction, writers going on beside it; it is
            // synchronous, so it runs on a thread of its own rather than hold a pool thread for the whole copy.
            await Task.Factory.StartNew(() => source.BackupDatabase(target), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            File.Delete(full);
            throw;
        }
        return new FileInfo(full).Length;
    }

    /// <summary>The writer's WAL syncer, once it has written (for tests).</summary>
    internal SqliteWalSyncer? WalSyncer => _writer.Syncer;

    /// <summary>The writer's WAL bookkeeping: checkpoints beside it, restarts done and refused (for tests).</summary>
    internal (long Pokes, long Checkpoints, long Restarts, long RestartsBusy) WalStats =>
        (_writer.CheckpointerPokes, _writer.Checkpoints, _writer.Restarts.Done, _writer.Restarts.Busy);
}
