using System.Net;
using System.Net.Http;

namespace Chatport.Delivery.Safety;

/// <summary>
/// Builds the <see cref="SocketsHttpHandler"/> every webhook delivery goes through: no redirects, no cookies,
/// no decompression, no proxy, and a connect callback that refuses blocked addresses (see
/// <see cref="AddressPolicy"/>) after resolution and dials only the address it checked.
/// </summary>
public static class SafeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(SafeHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var resolve = options.Resolve ?? DefaultResolve;
        var connector = new GuardedConnector(options.AllowPrivateTargets, resolve);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // A proxy would make the callback check (and dial) the proxy instead of the destination.
            UseProxy = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            ConnectCallback = connector.ConnectAsync,
            // No traceparent/tracestate on webhooks: a receiver is a third party, not part of our trace (and the
            // propagating handler cost ~2% of a delivery's CPU).
            ActivityHeadersPropagator = null,
        };
    }

    private static async ValueTask<IPAddress[]> DefaultResolve(string host, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(host, cancellationToken);
}
