namespace Chatport.Application.Accounts;

/// <summary>The body of <c>PUT /v1/accounts/{accountId}</c>.</summary>
/// <param name="Name">A display name, 1 to 200 characters.</param>
/// <param name="Plan"><c>free</c> or <c>pro</c>; the POST hook (webhook destinations) needs <c>pro</c>.</param>
/// <param name="InactivityTimeoutSeconds">A chat with no new event for this long finishes as dropped (10 s to 7 days; default 1800).</param>
/// <param name="TimeZone">The IANA zone transcripts and CSV times are shown in, e.g. <c>Europe/Prague</c> (default <c>UTC</c>).</param>
public sealed record AccountRequest(string? Name, string? Plan, int? InactivityTimeoutSeconds, string? TimeZone = null);
