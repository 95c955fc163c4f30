namespace Chatport.Management;

/// <summary>Settings under <c>Chatport:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Chatport:Metrics";

    /// <summary>
    /// A bearer token (at least 16 characters) that opens <c>/metrics</c> on the API's port and nothing else. Unset by
    /// default: there, <c>/metrics</c> then takes only the admin key.
    /// </summary>
    public string? Key { get; set; }
}
