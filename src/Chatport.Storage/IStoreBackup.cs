namespace Chatport.Storage;

/// <summary>
/// A store that can copy itself, consistent as of one moment, while it serves: SQLite (its online backup). A
/// PostgreSQL store is backed up with PostgreSQL's own tools (<c>pg_dump</c>), which see the same moment.
/// </summary>
public interface IStoreBackup
{
    /// <summary>
    /// Writes the copy to a new file at <paramref name="path"/>, readable by its owner only (it holds secrets and
    /// every conversation). Writers go on meanwhile. Returns the copy's size in bytes.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> exists already, or cannot be written.</exception>
    Task<long> BackupAsync(string path, CancellationToken cancellationToken = default);
}
