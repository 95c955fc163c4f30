using System.Text.Json;

namespace Chatport.Cli.Transfer;

/// <summary>
/// What an import has done, for <c>--resume</c>: per input file (named relative to the state file's folder), how many
/// of its conversations the server acknowledged. Written after every acknowledged batch, atomically (a temporary
/// file renamed over it), so an interrupted import leaves a state that is true.
/// </summary>
/// <remarks>The file: <c>{"version":1,"files":{"chats.json":{"acknowledged":400}}}</c>.</remarks>
internal sealed class ImportState
{
    public const string DefaultName = ".chatport-import.state";

    private readonly Dictionary<string, int> _acknowledged;

    private ImportState(string path, Dictionary<string, int> acknowledged)
    {
        Path = path;
        _acknowledged = acknowledged;
    }

    public string Path { get; }

    /// <summary>The folder input files are named relative to.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    public static ImportState Empty(string path) => new(path, new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>The state in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a state this command wrote.</exception>
    public static ImportState Load(string path)
    {
        var acknowledged = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path} is not an import state (no \"files\").");
            }
            foreach (var file in files.EnumerateObject())
            {
                acknowledged[file.Name] = file.Value.GetProperty("acknowledged").GetInt32();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not an import state: {e.Message}", e);
        }
        return new ImportState(path, acknowledged);
    }

    /// <summary>The key of an input file: its path relative to the state's folder (<c>-</c> for stdin).</summary>
    public string KeyOf(string? file) =>
        file is null ? "-" : System.IO.Path.GetRelativePath(Folder, System.IO.Path.GetFullPath(file)).Replace('\\', '/');

    public int Acknowledged(string key) => _acknowledged.GetValueOrDefault(key);

    /// <summary>Records <paramref name="count"/> acknowledged items of <paramref name="key"/> and writes the state.</summary>
    public void Set(string key, int count)
    {
        _acknowledged[key] = count;
        Save();
    }

    private void Save()
    {
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", 1);
                writer.WriteStartObject("files");
                foreach (var (key, count) in _acknowledged.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(key);
                    writer.WriteNumber("acknowledged", count);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>Removes the state (the import is complete).</summary>
    public void Delete() => File.Delete(Path);
}
