using Chatport.Delivery.Destinations;
using Chatport.Storage.Accounts;

namespace Chatport.Application.Accounts;

/// <summary>Checks an account request; every problem found is reported at once, by field.</summary>
public static class AccountValidation
{
    public const int MinTimeoutSeconds = 10;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;
    public const int MaxNameLength = 200;
    public const int MaxTimeZoneLength = 64;

    /// <summary>Whether <paramref name="zone"/> names an IANA zone this machine knows (Windows names are not taken).</summary>
    public static bool IsTimeZone(string zone) =>
        zone.Length <= MaxTimeZoneLength && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;

    public static Dictionary<string, string[]> Validate(long accountId, AccountRequest? request, out AccountChange? change)
    {
        var errors = new Dictionary<string, string[]>();
        change = null;
        if (accountId <= 0)
        {
            errors["accountId"] = ["accountId must be a positive integer."];
        }
        if (request is null)
        {
            errors["body"] = ["Send a JSON object: {\"name\": \"…\", \"plan\": \"free\" | \"pro\", \"inactivityTimeoutSeconds\"?: 1800}."];
            return errors;
        }
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["name is required."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"name must be at most {MaxNameLength} characters; it has {name.Length:N0}."];
        }
        else if (name.Any(char.IsControl))
        {
            errors["name"] = ["name must be one line, without control characters."];
        }
        if (!AccountPlans.TryParse(request.Plan, out var plan))
        {
            errors["plan"] = [request.Plan is null ? "plan is required: \"free\" or \"pro\"." : $"plan must be \"free\" or \"pro\", not \"{Words.Short(request.Plan)}\"."];
        }
        var timeout = request.InactivityTimeoutSeconds ?? Account.DefaultInactivityTimeoutSeconds;
        if (timeout is < MinTimeoutSeconds or > MaxTimeoutSeconds)
        {
            errors["inactivityTimeoutSeconds"] = [$"inactivityTimeoutSeconds must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds}."];
        }
        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? Account.DefaultTimeZone : request.TimeZone.Trim();
        if (zone.Length > MaxTimeZoneLength)
        {
            errors["timeZone"] = [$"timeZone must be at most {MaxTimeZoneLength} characters; it has {zone.Length:N0}."];
        }
        else if (!IsTimeZone(zone))
        {
            errors["timeZone"] = [$"timeZone must be an IANA time zone such as \"Europe/Prague\" or \"UTC\", not \"{zone}\"."];
        }
        if (errors.Count == 0)
        {
            change = new AccountChange(accountId, name!, plan, timeout) { TimeZone = zone };
        }
        return errors;
    }
}
