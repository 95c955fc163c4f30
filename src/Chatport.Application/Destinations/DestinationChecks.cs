using Chatport.Delivery.Destinations;
using Chatport.Delivery.Retries;
using Chatport.Tracking;

namespace Chatport.Application.Destinations;

/// <summary>The fields every destination kind takes, and their checks.</summary>
internal static class DestinationChecks
{
    public const int MaxNameLength = 200;
    public const int MaxTimeoutSeconds = 60;

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
