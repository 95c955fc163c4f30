using System.Text;
using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Configuration;

namespace Chatport.Delivery.Destinations.File;

/// <summary>
/// <c>file</c>: conversations appended to a file under the data directory. Fields: <c>format</c> (<c>jsonl</c>: the
/// exact seed-format JSON, one conversation a line; <c>csv</c>: one row a conversation with its transcript),
/// <c>path</c> (relative to the data directory and kept inside it), <c>rotate?</c> (<c>daily</c>: a file a day,
/// <c>name-2026-12-01.jsonl</c>; <c>size</c>: the file is renamed <c>name-1.jsonl</c>, <c>name-2.jsonl</c>… before it
/// would pass <c>maxBytes</c>), <c>maxBytes?</c>. A later version of a conversation is appended again. A write that
/// fails (a full disk, a path that cannot be a file) is retried on the destination's schedule.
/// </summary>
public sealed class FileKind(IConfiguration configuration, AccountZones zones, TimeProvider time) : IDestinationKind
{
    /// <summary>This kind's appender: one lock per file across all file destinations of the node.</summary>
    private readonly FileAppender _appender = new();

    private readonly string _dataDir = Path.GetFullPath(configuration["Chatport:DataDir"] is { Length: > 0 } dir ? dir : "./data");

    public string Name => FileConfig.Kind;

    public string Title => "The file export";

    public string Plural => "File destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 15;

    /// <summary>Deliveries in flight wait for one group commit (one transaction or flush for the lot): more of them make bigger batches.</summary>
    public int? MaxInFlight => 256;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("format", FieldType.String, "\"jsonl\" (one seed-format conversation a line) or \"csv\" (one row a conversation, with its transcript).", RequiredOnCreate: true),
        new("path", FieldType.String, "The file, relative to the data directory (e.g. \"exports/chats.jsonl\"); it must stay inside it.", RequiredOnCreate: true),
        new("rotate", FieldType.String, "\"daily\" (a file a day, named by the date) or \"size\" (a new file before one passes maxBytes); one file when absent."),
        new("maxBytes", FieldType.Integer, "For size rotation: the largest a file grows, in bytes (default 104857600, 100 MiB)."),
    ];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var format = fields.String("format");
        var path = fields.String("path");
        var rotate = fields.String("rotate");
        var maxBytes = fields.Integer("maxBytes");
        if (current is null && format is null && !errors.Has("format"))
        {
            errors.Add("format", "format is required: \"jsonl\" or \"csv\".");
        }
        else if (format is not null && format is not (FileConfig.Jsonl or FileConfig.Csv))
        {
            errors.Add("format", $"format must be \"jsonl\" or \"csv\", not \"{format}\".");
        }
        if (current is null && path is null && !errors.Has("path"))
        {
            errors.Add("path", "path is required: the file to write, relative to the data directory (e.g. \"exports/chats.jsonl\").");
        }
        else if (path is not null && FilePathGuard.Check(_dataDir, path) is { } refused)
        {
            errors.Add("path", refused);
        }
        if (rotate is not null && rotate is not (FileConfig.Daily or FileConfig.Size))
        {
            errors.Add("rotate", $"rotate must be \"daily\" or \"size\", not \"{rotate}\".");
        }
        if (maxBytes is { } max && max < FileConfig.MinMaxBytes)
        {
            errors.Add("maxBytes", $"maxBytes must be at least {FileConfig.MinMaxBytes} bytes.");
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }
        FileConfig config;
        if (current is null)
        {
            config = new FileConfig(format!, path!, rotate, maxBytes);
        }
        else
        {
            var before = FileConfigJson.Deserialize(current.Config);
            config = new FileConfig(format ?? before.Format, path ?? before.Path, rotate ?? before.Rotate, maxBytes ?? before.MaxBytes);
        }
        return new KindSettings(FileConfigJson.Serialize(config), null);
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = FileConfigJson.Deserialize(settings.Config);
        return new DestinationView(
            new JsonObject { ["format"] = config.Format, ["path"] = config.Path },
            new JsonObject { ["rotate"] = config.Rotate, ["maxBytes"] = config.Rotate == FileConfig.Size ? config.EffectiveMaxBytes : config.MaxBytes },
            []);
    }

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        double Elapsed() => time.GetElapsedTime(started).TotalMilliseconds;
        var config = FileConfigJson.Deserialize(destination.Config);
        var relative = FileNameFor(config, time.GetUtcNow());
        if (FilePathGuard.Check(_dataDir, relative) is { } refused)
        {
            return new SendOutcome(SendResult.Retry, Elapsed(), null, $"The file was not written: {refused}", Detail(relative));
        }
        Conversation? conversation = null;
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (config.Format == FileConfig.Csv)
        {
            try
            {
                conversation = ConversationNormalizer.Normalize(ContractJson.Parse(delivery.Body.Span));
            }
            catch (ContractException e)
            {
                return new SendOutcome(SendResult.Failed, Elapsed(), null, $"The conversation could not be read for the CSV row: {e.Message}", Detail(relative));
            }
            zone = await zones.ZoneOfAsync(delivery.AccountId, cancellationToken).ConfigureAwait(false);
        }
        var body = delivery.Body;
        Func<bool, byte[]> record = config.Format == FileConfig.Csv
            ? isNew => CsvRecord.Row(conversation!, delivery, zone, withHeader: isNew)
            : _ => JsonlRecord.Line(body.Span);
        var target = new FileAppender.Target(Path.Combine(_dataDir, relative), config.Format == FileConfig.Csv,
            config.Rotate == FileConfig.Size ? config.EffectiveMaxBytes : null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(destination.TimeoutSeconds));
        try
        {
            var written = await _appender.AppendAsync(target, record, full => FilePathGuard.CheckLinks(_dataDir, full, Path.GetRelativePath(_dataDir, full)), timeout.Token)
                .ConfigureAwait(false);
            return new SendOutcome(SendResult.Delivered, Elapsed(), null, null, Detail(Path.GetRelativePath(_dataDir, written)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(SendResult.Retry, Elapsed(), null,
                $"The file stayed busy with other writes for longer than the destination's timeout ({destination.TimeoutSeconds} s).", Detail(relative));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SendOutcome(SendResult.Retry, Elapsed(), null, $"The file could not be written: {Plain(e.Message)}", Detail(relative));
        }
    }

    /// <summary>The file written at <paramref name="now"/>, relative to the data directory: with daily rotation, the date before the extension.</summary>
    public static string FileNameFor(FileConfig config, DateTimeOffset now)
    {
        if (config.Rotate != FileConfig.Daily)
        {
            return config.Path;
        }
        var folder = Path.GetDirectoryName(config.Path);
        var name = $"{Path.GetFileNameWithoutExtension(config.Path)}-{now.UtcDateTime:yyyy-MM-dd}{Path.GetExtension(config.Path)}";
        return string.IsNullOrEmpty(folder) ? name : Path.Combine(folder, name);
    }

    /// <summary>A system message with the data directory taken out of the paths it names.</summary>
    private string Plain(string message) =>
        message.Replace(_dataDir + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(_dataDir, "the data directory", StringComparison.Ordinal);

    private static byte[] Detail(string relative) => Encoding.UTF8.GetBytes(relative);
}
