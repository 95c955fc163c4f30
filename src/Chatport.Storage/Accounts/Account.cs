namespace Chatport.Storage.Accounts;

/// <summary>A customer of the chat platform: the unit conversations, destinations and sources belong to.</summary>
public sealed record Account(
    long Id,
    string Name,
    AccountPlan Plan,
    int InactivityTimeoutSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>30 minutes: a chat with no new event for this long finishes as dropped.</summary>
    public const int DefaultInactivityTimeoutSeconds = 30 * 60;

    public const string DefaultTimeZone = "UTC";

    /// <summary>The IANA zone in which transcripts and CSV times are shown to the account's people.</summary>
    public string TimeZone { get; init; } = DefaultTimeZone;
}
