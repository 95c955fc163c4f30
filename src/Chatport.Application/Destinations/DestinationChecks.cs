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
    public static readonly string[] Fields = ["kind", "name", "kinds", "enabled", "timeoutSeconds", "retrySchedule"];

    /// <summary>The neutral settings of a body, checked; a field absent or null is null.</summary>
    public static NeutralFields Read(DestinationFields fields, FieldErrors errors)
    {
        var name = fields.String("name");
        var kinds = fields.Strings("kinds");
        var enabled = fields.Boolean("enabled");
        var timeout = fields.Integer("timeoutSeconds");
        var schedule = fields.Strings("retrySchedule");
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
        return new NeutralFields(name, kinds, enabled, timeout, schedule);
    }

    /// <summary>The fields of the body that neither every kind nor this one takes.</summary>
    public static List<string> Unknown(DestinationFields fields, IDestinationKind kind) =>
        [.. fields.Body.EnumerateObject().Select(p => p.Name).Where(name => !Fields.Contains(name) && !kind.Fields.Contains(name))];

    /// <summary>Every field a body for this kind may hold, for the message about an unknown one.</summary>
    public static IEnumerable<string> Accepted(IDestinationKind kind, bool patch) =>
        Fields.Where(f => !patch || f != "kind").Concat(kind.Fields);
}

/// <summary>What a body says of the fields every kind takes (null: not given).</summary>
internal sealed record NeutralFields(string? Name, List<string>? Kinds, bool? Enabled, int? TimeoutSeconds, List<string>? RetrySchedule);
