using System.Net;
using Chatport.Delivery.Safety;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>
/// The SSRF guard for a <c>postgres</c> sql destination. Its connection string's <c>Host</c> may name several servers
/// (<c>a,b:5433</c>) or a Unix socket folder (<c>/var/run/postgresql</c>); unless Chatport:Delivery:AllowPrivateTargets
/// is true, a socket, <c>localhost</c> and a private or reserved address are refused when the destination is saved,
/// and every name is resolved and its addresses checked before each connection is opened (<see cref="GuardedConnector"/>).
/// Npgsql then resolves the name again itself (it takes no socket from its caller), so a name whose DNS changes
/// between the two lookups could still reach an address the check did not see; the window is one lookup wide.
/// </summary>
internal static class SqlHosts
{
    /// <summary>The hosts and ports a Host value names, each as written (a socket folder has port 0).</summary>
    public static IEnumerable<(string Host, int Port)> Parse(string hostValue, int defaultPort)
    {
        foreach (var raw in hostValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith('/') || raw.StartsWith('@'))
            {
                yield return (raw, 0);
                continue;
            }
            var host = raw;
            var port = defaultPort;
            var colon = raw.StartsWith('[') ? raw.IndexOf("]:", StringComparison.Ordinal) + 1 : raw.Count(c => c == ':') == 1 ? raw.IndexOf(':') : -1;
            if (colon > 0 && int.TryParse(raw.AsSpan(colon + 1), out var given))
            {
                host = raw[..colon];
                port = given;
            }
            yield return (host.Trim('[', ']'), port);
        }
    }

    /// <summary>Why a host written in a connection string may not be a target; null when it may (its DNS is checked later).</summary>
    public static string? Refusal(string host)
    {
        if (host.StartsWith('/') || host.StartsWith('@'))
        {
            return $"Host {host} is a Unix socket on this machine";
        }
        var bare = host.TrimEnd('.');
        if (bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || bare.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"Host {host} is this machine";
        }
        return HostSpelling.TryParseAddress(host, out var address) && AddressPolicy.IsBlocked(address, out var reason)
            ? $"Host {host} is a private address: {reason}"
            : null;
    }

    /// <summary>Resolves and checks every host (throws <see cref="BlockedTargetException"/> for a blocked one).</summary>
    public static async Task CheckAsync(GuardedConnector guard, string hostValue, int defaultPort, CancellationToken cancellationToken)
    {
        foreach (var (host, port) in Parse(hostValue, defaultPort))
        {
            if (Refusal(host) is { } refusal)
            {
                throw new BlockedTargetException(host, address: null, refusal);
            }
            await guard.CheckAsync(host, port, cancellationToken);
        }
    }

    public static GuardedConnector Guard() =>
        new(allowPrivateTargets: false, static async (host, cancellationToken) => await Dns.GetHostAddressesAsync(host, cancellationToken));
}
