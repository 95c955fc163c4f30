namespace Chatport.Delivery.Destinations.File;

/// <summary>
/// Keeps a file destination's <c>path</c> inside the data directory: it must be relative, must not go up
/// (<c>..</c>), and no symbolic link on the way (a folder or the file itself) may lead out. Checked when a
/// destination is made or changed, and again before every write (a link may appear on disk in between).
/// </summary>
public static class FilePathGuard
{
    /// <summary>The most links followed while resolving one path (as the kernel's own bound).</summary>
    private const int MaxLinks = 40;

    /// <summary>Why <paramref name="relative"/> is refused, in plain words, or null when it is fine.</summary>
    public static string? Check(string dataDir, string relative)
    {
        if (relative.Length == 0 || relative.Trim().Length == 0)
        {
            return "path must name a file under the data directory, e.g. \"exports/chats.jsonl\".";
        }
        if (relative.Length > 500)
        {
            return "path must be at most 500 characters long.";
        }
        if (relative.Any(char.IsControl))
        {
            return "path must not contain control characters.";
        }
        if (System.IO.Path.IsPathRooted(relative) || relative.StartsWith('\\') || relative.StartsWith('~'))
        {
            return $"path must be relative to the data directory, not the absolute path \"{relative}\".";
        }
        var segments = relative.Split('/', '\\');
        if (segments.Any(s => s == ".."))
        {
            return $"path must stay inside the data directory; \"{relative}\" goes up out of it with \"..\".";
        }
        if (segments[^1].Length == 0 || segments[^1] == ".")
        {
            return $"path must name a file, not a folder: \"{relative}\".";
        }
        return CheckLinks(dataDir, System.IO.Path.Combine(dataDir, relative), relative);
    }

    /// <summary>Why the absolute <paramref name="full"/> (under <paramref name="dataDir"/>) leads out of it, or null.</summary>
    public static string? CheckLinks(string dataDir, string full, string shown)
    {
        var root = RealPath(System.IO.Path.GetFullPath(dataDir));
        var real = RealPath(System.IO.Path.GetFullPath(full));
        if (root is null || real is null)
        {
            return $"path \"{shown}\" goes through too many symbolic links.";
        }
        var inside = real.StartsWith(root.EndsWith(System.IO.Path.DirectorySeparatorChar) ? root : root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside ? null : $"path must stay inside the data directory; \"{shown}\" leads out of it through a symbolic link.";
    }

    /// <summary>
    /// The path with every symbolic link among its existing parts followed (what the system opens), the parts that
    /// do not exist yet kept as they are; null past <see cref="MaxLinks"/> links.
    /// </summary>
    internal static string? RealPath(string absolute)
    {
        var links = 0;
        var pending = new Queue<string>(absolute.Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = System.IO.Path.GetPathRoot(absolute) ?? "/";
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            var next = System.IO.Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    return null;
                }
                // Start over from the link's target, followed by what was left.
                var resolved = System.IO.Path.GetFullPath(target, current);
                var rest = pending.ToArray();
                pending = new Queue<string>(resolved.Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = System.IO.Path.GetPathRoot(resolved) ?? "/";
                continue;
            }
            current = next;
        }
        return current;
    }
}
