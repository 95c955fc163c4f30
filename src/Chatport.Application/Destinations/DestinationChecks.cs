using System.Text.Json;
using Chatport.Delivery.Destinations;
using Chatport.Delivery.Retries;
using Chatport.Tracking;

namespace Chatport.Application.Destinations;

/// <summary>The fields every destination kind takes, and their checks.</summary>
internal static class DestinationChecks
{
    public const int MaxNameLength = 200;
    public const int MaxTimeoutSeconds = 60;

    /// <summary>The most characters any stored string field holds (a URL's limit too), unless its kind's field says more (<see cref="KindField.MaxLength"/>).</summary>
    public const int MaxTextLength = 2048;

    /// <summary>The most items a list field holds (kinds, redact, an e-mail's recipients…).</summary>
    public const int MaxItems = 100;

    /// <summary>The longest name of a field, or of an entry of an object field.</summary>
    public const int MaxFieldNameLength = 256;

    /// <summary>
    /// Bounds every value of a create or patch body before any kind reads it, so that no field of any kind, present or
    /// future, stores (or quotes back in an error) more than a limit: a string <see cref="MaxTextLength"/> characters
    /// (or its field's own <see cref="KindField.MaxLength"/>), a list <see cref="MaxItems"/> items, an object
    /// (headers, auth) <see cref="HeaderRules.MaxCount"/> entries of <see cref="HeaderRules.MaxNameLength"/>-character
    /// names and <see cref="HeaderRules.MaxValueLength"/>-character values. The kinds check their fields' meaning after.
    /// </summary>
    public static void Bound(JsonElement body, IDestinationKind kind, FieldErrors errors)
    {
        foreach (var property in body.EnumerateObject())
        {
            var field = property.Name;
            if (field.Length > MaxFieldNameLength)
            {
                errors.Add("body", $"A field name must be at most {MaxFieldNameLength} characters; one has {field.Length:N0}.");
                continue;
            }
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var max = field == "name" ? MaxNameLength : kind.Fields.FirstOrDefault(f => f.Name == field)?.MaxLength ?? MaxTextLength;
                    var length = value.GetString()!.Length;
                    if (length > max)
                    {
                        errors.Add(field, $"{field} must be at most {max:N0} characters; it has {length:N0}.");
                    }
                    break;
                case JsonValueKind.Array:
                    var items = value.GetArrayLength();
                    if (items > MaxItems)
                    {
                        errors.Add(field, $"{field} may hold at most {MaxItems} items; it has {items:N0}.");
                    }
                    else if (value.EnumerateArray().Select((item, i) => (item, i)).FirstOrDefault(
                        e => e.item.ValueKind == JsonValueKind.String && e.item.GetString()!.Length > MaxTextLength) is { item.ValueKind: JsonValueKind.String } longest)
                    {
                        errors.Add(field, $"{field}[{longest.i}] must be at most {MaxTextLength:N0} characters; it has {longest.item.GetString()!.Length:N0}.");
                    }
                    break;
                case JsonValueKind.Object:
                    BoundEntries(field, value, errors);
                    break;
            }
        }
    }

    private static void BoundEntries(string field, JsonElement value, FieldErrors errors)
    {
        var count = 0;
        foreach (var entry in value.EnumerateObject())
        {
            if (++count > HeaderRules.MaxCount)
            {
                errors.Add(field, $"{field} may hold at most {HeaderRules.MaxCount} entries; it has {value.EnumerateObject().Count():N0}.");
                return;
            }
            if (entry.Name.Length > HeaderRules.MaxNameLength)
            {
                errors.Add(field, $"A name in {field} must be at most {HeaderRules.MaxNameLength} characters; one has {entry.Name.Length:N0}.");
                return;
            }
            if (entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString()!.Length is var length && length > HeaderRules.MaxValueLength)
            {
                errors.Add(field, $"{field}.{entry.Name} must be at most {HeaderRules.MaxValueLength:N0} characters; it has {length:N0}.");
                return;
            }
        }
    }

    /// <summary>The neutral fields of a create body (a patch takes the same, but <c>kind</c>).</summary>
    public static readonly string[] Fields = ["kind", "name", "kinds", "enabled", "timeoutSeconds", "retrySchedule", "redact", "redactVisitor"];

    /// <summary>The neutral settings of a body, checked; a field absent or null is null.</summary>
    public static NeutralFields Read(DestinationFields fields, FieldErrors errors)
    {
        var name = fields.String("name");
        var kinds = fields.Strings("kinds");
        var enabled = fields.Boolean("enabled");
        var timeout = fields.Integer("timeoutSeconds");
        var schedule = fields.Strings("retrySchedule");
        var redact = fields.Strings("redact");
        var redactVisitor = fields.Strings("redactVisitor");
        CheckAmong("redact", redact, Redaction.Redaction.ContentKinds, errors);
        CheckAmong("redactVisitor", redactVisitor, Redaction.Redaction.VisitorFields, errors);
        foreach (var kind in kinds ?? [])
        {
            if (!ConversationKinds.All.Contains(kind))
            {
                errors.Add("kinds", $"kinds may hold completed, missed, offline and dropped; not \"{kind}\".");
                break;
            }
        }
        if (timeout is < 1 or > MaxTimeoutSeconds)
        {
            errors.Add("timeoutSeconds", $"timeoutSeconds must be between 1 and {MaxTimeoutSeconds}.");
        }
        if (schedule is not null)
        {
            try
            {
                RetrySchedule.Parse(schedule);
            }
            catch (FormatException e)
            {
                errors.Add("retrySchedule", e.Message);
            }
        }
        if (name?.Length > MaxNameLength)
        {
            errors.Add("name", $"name must be at most {MaxNameLength} characters.");
        }
        return new NeutralFields(name, kinds, enabled, timeout, schedule, redact, redactVisitor);
    }

    private static void CheckAmong(string field, List<string>? given, IReadOnlyList<string> allowed, FieldErrors errors)
    {
        if (given?.FirstOrDefault(value => !allowed.Contains(value)) is { } wrong)
        {
            errors.Add(field, $"{field} may hold {Words.All(allowed)}; not \"{wrong}\".");
        }
    }

    /// <summary>The fields of the body that neither every kind nor this one takes.</summary>
    public static List<string> Unknown(DestinationFields fields, IDestinationKind kind, bool patch)
    {
        var accepted = Accepted(kind, patch).ToHashSet(StringComparer.Ordinal);
        return [.. fields.Body.EnumerateObject().Select(p => p.Name).Where(name => !accepted.Contains(name))];
    }

    /// <summary>Every field a create (or a patch) body for this kind may hold.</summary>
    public static IEnumerable<string> Accepted(IDestinationKind kind, bool patch) =>
        Fields.Where(f => !patch || f != "kind").Concat(kind.Fields.Where(f => patch || !f.PatchOnly).Select(f => f.Name));
}

/// <summary>What a body says of the fields every kind takes (null: not given).</summary>
internal sealed record NeutralFields(
    string? Name, List<string>? Kinds, bool? Enabled, int? TimeoutSeconds, List<string>? RetrySchedule, List<string>? Redact, List<string>? RedactVisitor);
