using Chatport.Storage.Accounts;

namespace Chatport.Application.Accounts;

/// <summary>Checks an account request; every problem found is reported at once, by field.</summary>
public static class AccountValidation
{
    public const int MinTimeoutSeconds = 10;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>Whether <paramref name="zone"/> names an IANA zone this machine knows (Windows names are not taken).</summary>
    public static bool IsTimeZone(string zone) =>
        zone.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;

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
        else if (name.Length > 200)
        {
            errors["name"] = ["name must be at most 200 characters."];
        }
        if (!AccountPlans.TryParse(request.Plan, out var plan))
        {
            errors["plan"] = [request.Plan is null ? "plan is required: \"free\" or \"pro\"." : $"plan must be \"free\" or \"pro\", not \"{request.Plan}\"."];
        }
        var timeout = request.InactivityTimeoutSeconds ?? Account.DefaultInactivityTimeoutSeconds;
        if (timeout is < MinTimeoutSeconds or > MaxTimeoutSeconds)
        {
            errors["inactivityTimeoutSeconds"] = [$"inactivityTimeoutSeconds must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds}."];
        }
        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? Account.DefaultTimeZone : request.TimeZone.Trim();
        if (!IsTimeZone(zone))
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
