namespace Chatport.Destinations;

/// <summary>The body of <c>POST /v1/accounts/{accountId}/destinations</c>.</summary>
/// <param name="Kind"><c>webhook</c> (the POST hook).</param>
/// <param name="Url">Where to POST (http or https).</param>
/// <param name="Secret">A <c>whsec_</c> signing secret; one is made (and returned once) when absent.</param>
/// <param name="Kinds">Which conversations to send: completed, missed, offline, dropped; absent or empty means all.</param>
/// <param name="TimeoutSeconds">How long to wait for the receiver (1 to 60, default 15).</param>
/// <param name="RetrySchedule">Delays between attempts, e.g. ["0","5s","5m","30m"]; absent for the default.</param>
/// <param name="Headers">Extra request headers, e.g. an Authorization for a CRM.</param>
public sealed record DestinationRequest(
    string? Kind,
    string? Name,
    string? Url,
    string? Secret,
    List<string>? Kinds,
    bool? Enabled,
    int? TimeoutSeconds,
    List<string>? RetrySchedule,
    Dictionary<string, string>? Headers);

/// <summary>
/// The body of <c>PATCH …/destinations/{id}</c>: only what is present changes. <c>enabled: true</c> re-enables a
/// disabled destination; a new <c>secret</c> (or <c>rotateSecret: true</c>) rotates it — the previous secret keeps
/// signing beside the new one for 24 hours.
/// </summary>
public sealed record DestinationPatch(
    string? Name,
    string? Url,
    string? Secret,
    bool? RotateSecret,
    List<string>? Kinds,
    bool? Enabled,
    int? TimeoutSeconds,
    List<string>? RetrySchedule,
    Dictionary<string, string>? Headers);

/// <summary>The body of <c>POST …/destinations/{id}/replay</c>: which deliveries to send again.</summary>
/// <param name="Status">pending, succeeded or failed; absent for all.</param>
public sealed record ReplayRequest(DateTimeOffset? Since, DateTimeOffset? Until, string? Status);
