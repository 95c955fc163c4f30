namespace Chatport.Management;

/// <summary>
/// Settings under <c>Chatport:Management</c>: a port of its own for <c>/metrics</c> (which lists every destination's id
/// and how it fares) and the health checks.
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
