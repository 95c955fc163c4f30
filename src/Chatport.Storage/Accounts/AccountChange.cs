namespace Chatport.Storage.Accounts;

/// <summary>What a caller sets on an account; the store keeps the timestamps.</summary>
public sealed record AccountChange(long Id, string Name, AccountPlan Plan, int InactivityTimeoutSeconds)
{
    /// <summary>An IANA zone name (checked by the caller).</summary>
    public string TimeZone { get; init; } = Account.DefaultTimeZone;
}
