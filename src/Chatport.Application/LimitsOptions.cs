namespace Chatport.Application;

/// <summary>
/// Settings under <c>Chatport:Limits</c>: how many destinations, inbound hooks and API keys one account may have, so
/// that no tenant can make a node hold (and its dispatcher serve) an unbounded number of them. Reaching one is
/// answered 409 with a problem detail that names the setting. Every stored field of these is bounded too, in code
/// (names 200 characters, URLs 2,048, header values 8 KiB…): see docs/architecture.md, <i>Limits</i>.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Chatport:Limits";

    /// <summary>Destinations of every kind one account may have (default 50).</summary>
    public int DestinationsPerAccount { get; set; } = 50;

    /// <summary>Inbound hooks (sources) one account may have (default 50).</summary>
    public int SourcesPerAccount { get; set; } = 50;

    /// <summary>API keys one account may have that are not revoked (default 100).</summary>
    public int KeysPerAccount { get; set; } = 100;
}
