namespace Chatport.Management;

/// <summary>
/// Settings under <c>Chatport:Management</c> and <c>Chatport:Metrics</c>: who may read <c>/metrics</c>, which lists
/// every destination's id and how it fares.
/// </summary>
internal sealed class ManagementOptions
{
    public const string Section = "Chatport:Management";

    /// <summary>
    /// Extra addresses (as <c>--urls</c> spells them, each with its own port, several separated by <c>;</c>) that
    /// serve <c>/metrics</c> and <c>/health/*</c> with no key, and nothing else. Unset by default: no second port.
    /// </summary>
    public string? Urls { get; set; }
}

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
