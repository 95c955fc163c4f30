using Microsoft.Data.Sqlite;

namespace Chatport.Storage;

/// <summary>
/// The data dir holds secrets, hook tokens and every conversation: what Chatport creates there is its user's alone —
/// folders 0700, files 0600 — whatever the process's umask. A folder that already exists is left as it is (it may
/// be a mount point or a home the operator set up); its files are what is protected. On Windows, nothing changes.
/// </summary>
public static class OwnerOnly
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents 0700; an existing folder keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderPermissions);
    }

    /// <summary>Options that create a file 0600 (when <paramref name="mode"/> creates one).</summary>
    public static FileStreamOptions FileOptions(FileMode mode, FileAccess access, FileShare share = FileShare.Read, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.Create or FileMode.OpenOrCreate)
        {
            options.UnixCreateMode = FilePermissions;
        }
        return options;
    }

    /// <summary>
    /// Before SQLite opens the database file at <paramref name="path"/>: creates it empty and 0600 when missing, and
    /// takes group and other access off it and off its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> when present (a
    /// database an older build left 0644). SQLite gives the <c>-wal</c>, <c>-shm</c> and <c>-journal</c> it creates
    /// later the database file's own mode, so they are 0600 too. A file this user cannot change is left alone.
    /// </summary>
    public static void PrepareSqliteFile(string path)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
        {
            return;
        }
        try
        {
            using (new FileStream(path, FileOptions(FileMode.CreateNew, FileAccess.Write)))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists already: tightened below.
        }
        foreach (var file in (string[])[path, path + "-wal", path + "-shm", path + "-journal"])
        {
            Tighten(file);
        }
    }

    /// <summary>The file a SQLite connection string names, or null for an in-memory, URI or read-only one.</summary>
    public static string? SqliteFileOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (string.IsNullOrWhiteSpace(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || builder.Mode is SqliteOpenMode.Memory or SqliteOpenMode.ReadOnly)
        {
            return null;
        }
        return source;
    }

    private static void Tighten(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & GroupAndOthers) != 0)
            {
                File.SetUnixFileMode(file, mode & ~GroupAndOthers);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or UnauthorizedAccessException or IOException)
        {
            // Absent, or owned by another user: nothing this process may change.
        }
    }
}
