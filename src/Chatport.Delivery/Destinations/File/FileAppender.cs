using System.Collections.Concurrent;

namespace Chatport.Delivery.Destinations.File;

/// <summary>
/// Appends whole records to files, so that a crash never leaves a torn one behind: each record goes in with one
/// write and is flushed through to the disk before the attempt counts as delivered; appends to one file are
/// serialized (the dispatcher sends several deliveries of a destination at once), and the records that queue up
/// meanwhile are written and flushed together (<see cref="GroupCommit{TItem, TResult}"/>). The first time this process
/// uses a file, a partial record at its end (a crash mid-write) is cut off (<see cref="RepairTail"/>).
/// One per process: it holds the locks and remembers which files it has checked.
/// </summary>
public sealed class FileAppender
{
    /// <summary>The most records written with one flush.</summary>
    private const int MaxBatch = 1024;

    private readonly ConcurrentDictionary<string, GroupCommit<PendingRecord, string>> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _checked = new(StringComparer.Ordinal);

    /// <summary>How one append goes: which file, how records end, and whether the file is rotated by size first.</summary>
    /// <param name="QuotedRecords">Records may hold line breaks inside double quotes (CSV): a record ends only at a line break outside them.</param>
    /// <param name="MaxBytes">Rotate by size: when the record would take the file past this, the file is renamed aside first.</param>
    public sealed record Target(string FullPath, bool QuotedRecords, long? MaxBytes);

    /// <summary>
    /// Appends one record; <paramref name="record"/> is told whether the file is empty (to start it with a header)
    /// and gives the bytes, which end with a line break. Returns the path of the file written (after any rotation).
    /// </summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be written.</exception>
    /// <exception cref="OperationCanceledException">The file stayed busy until <paramref name="cancellationToken"/>.</exception>
    public Task<string> AppendAsync(Target target, Func<bool, byte[]> record, Func<string, string?>? checkPath, CancellationToken cancellationToken) =>
        _files.GetOrAdd(target.FullPath, _ => new GroupCommit<PendingRecord, string>())
            .SubmitAsync(new PendingRecord(target, record, checkPath), WriteBatch, MaxBatch, cancellationToken);

    /// <summary>
    /// Writes a batch of records queued for one file, in order, and flushes them to the disk together. Each record's
    /// attempt is answered only after the flush that made it durable; when the batch fails, every record in it fails
    /// with it (and is retried: at least once).
    /// </summary>
    private Task WriteBatch(IReadOnlyList<GroupCommit<PendingRecord, string>.Entry> batch, CancellationToken cancellationToken)
    {
        var target = batch[0].Item.Target;
        FileStream? stream = null;
        long whole = 0; // where the file's whole, flushed records end
        var written = new List<(GroupCommit<PendingRecord, string>.Entry Entry, string Path)>(batch.Count);
        try
        {
            Storage.OwnerOnly.CreateDirectory(Path.GetDirectoryName(target.FullPath)!);
            stream = Open(target);
            whole = stream.Seek(0, SeekOrigin.End);
            foreach (var entry in batch)
            {
                var item = entry.Item;
                byte[]? data = null;
                if (item.Target.MaxBytes is { } max && stream.Length > 0)
                {
                    data = item.Record(false);
                    if (stream.Length + data.Length > max)
                    {
                        stream.Flush(flushToDisk: true);
                        stream.Dispose();
                        stream = null;
                        var aside = NextRotatedName(target.FullPath);
                        if (item.CheckPath?.Invoke(aside) is { } refused)
                        {
                            throw new IOException(refused);
                        }
                        System.IO.File.Move(target.FullPath, aside);
                        _checked[target.FullPath] = true; // the new file is empty: nothing to repair
                        stream = Open(target);
                        whole = 0;
                        data = null; // the new file is empty: its record starts with what a new file needs
                    }
                }
                data ??= item.Record(stream.Length == 0);
                stream.Write(data);
                written.Add((entry, target.FullPath));
            }
            stream.Flush(flushToDisk: true);
        }
        catch when (stream is not null)
        {
            CutBack(stream, whole, target.FullPath);
            throw;
        }
        finally
        {
            stream?.Dispose();
        }
        foreach (var (entry, path) in written)
        {
            entry.Complete(path);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// After a failed write (a full disk, say), cuts off what the batch left — perhaps a part of a record — so the
    /// retried records start on a whole one. If even that fails, the file's tail is repaired the next time it is
    /// opened (<see cref="RepairTail"/>).
    /// </summary>
    private void CutBack(FileStream stream, long whole, string fullPath)
    {
        try
        {
            // The file's length as the disk has it (FileStream's own count misses a write that failed halfway).
            if (RandomAccess.GetLength(stream.SafeFileHandle) > whole)
            {
                stream.SetLength(whole);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _checked.TryRemove(fullPath, out _);
        }
    }

    /// <summary>A record waiting for its file.</summary>
    private sealed record PendingRecord(Target Target, Func<bool, byte[]> Record, Func<string, string?>? CheckPath);

    private FileStream Open(Target target)
    {
        // A new file (a first record, a rotation) is the owner's alone; one that exists keeps the mode it has.
        var stream = new FileStream(target.FullPath, Storage.OwnerOnly.FileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1));
        try
        {
            if (_checked.TryAdd(target.FullPath, true))
            {
                RepairTail(stream, target.QuotedRecords);
            }
            return stream;
        }
        catch
        {
            _checked.TryRemove(target.FullPath, out _);
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts a partial last record off: the file is truncated back to the end of its last whole record. For
    /// line records, that is the last line break; for quoted ones (CSV), the last line break outside double
    /// quotes, which needs one pass over the file.
    /// </summary>
    internal static void RepairTail(FileStream stream, bool quotedRecords)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return;
        }
        var end = quotedRecords ? LastRecordEndQuoted(stream) : LastLineEnd(stream);
        if (end != length)
        {
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The offset just past the last <c>\n</c>; 0 when there is none.</summary>
    private static long LastLineEnd(FileStream stream)
    {
        var buffer = new byte[64 * 1024];
        var position = stream.Length;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            stream.Seek(position, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            var at = buffer.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (at >= 0)
            {
                return position + at + 1;
            }
        }
        return 0;
    }

    /// <summary>The offset just past the last <c>\n</c> outside double quotes; 0 when there is none.</summary>
    private static long LastRecordEndQuoted(FileStream stream)
    {
        var buffer = new byte[64 * 1024];
        var quoted = false;
        long end = 0;
        long offset = 0;
        stream.Seek(0, SeekOrigin.Begin);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'"')
                {
                    quoted = !quoted; // an escaped quote ("") flips twice
                }
                else if (buffer[i] == (byte)'\n' && !quoted)
                {
                    end = offset + i + 1;
                }
            }
            offset += read;
        }
        return end;
    }

    /// <summary><c>name-1.ext</c>, <c>name-2.ext</c>…: the first number not yet taken beside the file.</summary>
    internal static string NextRotatedName(string fullPath)
    {
        var folder = Path.GetDirectoryName(fullPath)!;
        var stem = Path.GetFileNameWithoutExtension(fullPath);
        var extension = Path.GetExtension(fullPath);
        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(folder, $"{stem}-{n}{extension}");
            if (!System.IO.File.Exists(candidate) && !Directory.Exists(candidate))
            {
                return candidate;
            }
        }
    }
}
