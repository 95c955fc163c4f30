using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Delivery.Destinations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Tests.Destinations.Journal;

/// <summary>
/// <c>journal</c>, a destination kind that lives only in the tests: it appends each delivery's body as one line to
/// <c>{folder}/journal.jsonl</c> under the data dir's <c>journal/</c>. <c>failFirst</c> makes the first N attempts of each
/// delivery come back as "retry", <c>gone</c> makes every attempt come back as "gone", and <c>token</c> is a secret
/// (masked in every answer but the one that set it). It is added to a server with one registration line and
/// nothing else — the proof that a kind needs only its folder.
/// </summary>
internal sealed class JournalKind(Microsoft.Extensions.Configuration.IConfiguration configuration) : IDestinationKind
{
    private readonly string _root = Path.Combine(configuration["Chatport:DataDir"]!, "journal");

    /// <summary>Where a destination with this folder writes, on a server with this data dir.</summary>
    public static string PathOf(string dataDir, string folder) => Path.Combine(dataDir, "journal", folder, "journal.jsonl");

    public string Name => "journal";

    public string Title => "The journal";

    public string Plural => "Journal destinations";

    public bool NeedsPro => false;

    public int DefaultTimeoutSeconds => 5;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("folder", FieldType.String, "Where under the journal root to write.", RequiredOnCreate: true),
        new("failFirst", FieldType.Integer, "How many attempts of each delivery come back as retry."),
        new("gone", FieldType.Boolean, "true: every attempt comes back as gone."),
        new("token", FieldType.String, "A secret, masked after it is set.", Secret: true),
    ];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var before = current is null ? new JournalConfig("", 0, false) : JsonSerializer.Deserialize<JournalConfig>(current.Config)!;
        var folder = fields.String("folder");
        if (current is null && folder is null && !errors.Has("folder"))
        {
            errors.Add("folder", "folder is required: where under the journal root to write.");
        }
        else if (folder is not null && (folder.Length == 0 || folder.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(folder)))
        {
            errors.Add("folder", $"folder must be a relative folder name, not \"{folder}\".");
        }
        var failFirst = fields.Integer("failFirst");
        if (failFirst is < 0)
        {
            errors.Add("failFirst", "failFirst must not be negative.");
        }
        var token = fields.String("token");
        var config = new JournalConfig(folder ?? before.Folder, failFirst ?? before.FailFirst, fields.Boolean("gone") ?? before.Gone);
        return new KindSettings(JsonSerializer.Serialize(config), token is null ? current?.Secrets : JsonSerializer.Serialize(token), Reveal: token is not null);
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = JsonSerializer.Deserialize<JournalConfig>(settings.Config)!;
        return new DestinationView(
            new JsonObject { ["folder"] = config.Folder },
            new JsonObject { ["failFirst"] = config.FailFirst, ["gone"] = config.Gone },
            new JsonObject { ["token"] = showSecrets && settings.Secrets is { } secret ? JsonSerializer.Deserialize<string>(secret) : null });
    }

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var config = JsonSerializer.Deserialize<JournalConfig>(destination.Config)!;
        if (config.Gone)
        {
            return new SendOutcome(SendResult.Gone, 0.1, null, "The journal is closed.", null) { GoneReason = "The journal asked never to be written again." };
        }
        if (attempt <= config.FailFirst)
        {
            return new SendOutcome(SendResult.Retry, 0.1, null, $"The journal is busy (attempt {attempt}).", Encoding.UTF8.GetBytes("busy"));
        }
        var folder = Path.Combine(_root, config.Folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "journal.jsonl");
        await File.AppendAllTextAsync(path, Encoding.UTF8.GetString(delivery.Body.Span) + "\n", cancellationToken);
        return new SendOutcome(SendResult.Delivered, 0.1, null, null, Encoding.UTF8.GetBytes(Path.Combine(config.Folder, "journal.jsonl")));
    }

    private sealed record JournalConfig(string Folder, int FailFirst, bool Gone);
}
