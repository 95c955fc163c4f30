using System.Net;

namespace Chatport.Delivery.Safety;

/// <summary>Settings for <see cref="SafeHttpHandlerFactory.Create"/>.</summary>
public sealed class SafeHttpOptions
{
    /// <summary><c>Chatport:Delivery:AllowPrivateTargets</c>: when true, no address is refused.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Budget for resolving the host and opening the TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a pooled connection may live, so DNS changes are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxConnectionsPerServer { get; set; } = 64;

    /// <summary>Resolves a host name to addresses; defaults to <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
    public Func<string, CancellationToken, ValueTask<IPAddress[]>>? Resolve { get; set; }
}
