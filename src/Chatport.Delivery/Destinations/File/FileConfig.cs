using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.File;

/// <summary>What a <c>file</c> destination keeps in its config.</summary>
/// <param name="Format"><c>jsonl</c> (one seed-format conversation a line) or <c>csv</c> (one row a conversation).</param>
/// <param name="Path">The file, relative to the data directory, and inside it.</param>
/// <param name="Rotate"><c>daily</c> (a file a day, named by the date), <c>size</c> (numbered files of at most <see cref="MaxBytes"/>) or null (one file).</param>
/// <param name="MaxBytes">For size rotation: the largest a file grows; <see cref="DefaultMaxBytes"/> when not given.</param>
public sealed record FileConfig(string Format, string Path, string? Rotate = null, long? MaxBytes = null)
{
    public const string Kind = "file";
    public const string Jsonl = "jsonl";
    public const string Csv = "csv";
    public const string Daily = "daily";
    public const string Size = "size";

    /// <summary>Size rotation's default bound: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    /// <summary>The smallest <see cref="MaxBytes"/> accepted: 1 KiB.</summary>
    public const long MinMaxBytes = 1024;

    public long EffectiveMaxBytes => MaxBytes ?? DefaultMaxBytes;
}

/// <summary>The file config's JSON, as the store keeps it.</summary>
public static class FileConfigJson
{
    public static string Serialize(FileConfig config) => JsonSerializer.Serialize(config, FileConfigJsonContext.Default.FileConfig);

    public static FileConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, FileConfigJsonContext.Default.FileConfig)
        ?? throw new JsonException("A file destination's config is null.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FileConfig))]
internal sealed partial class FileConfigJsonContext : JsonSerializerContext;
