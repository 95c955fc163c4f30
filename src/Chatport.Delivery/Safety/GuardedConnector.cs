using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Chatport.Delivery.Safety;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the SSRF guard: resolves the host once, checks
/// every address, and dials only the checked addresses — so DNS rebinding between check and connect is moot.
/// The e-mail kind uses <see cref="CheckAsync"/> and <see cref="ConnectSocketAsync"/> the same way for its SMTP host.
/// </summary>
internal sealed class GuardedConnector(bool allowPrivateTargets, Func<string, CancellationToken, ValueTask<IPAddress[]>> resolve)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await CheckAsync(endPoint.Host, endPoint.Port, cancellationToken);
        return await DialAsync(addresses, endPoint.Port, cancellationToken);
    }

    /// <summary>The addresses that may be dialled for <paramref name="host"/>; throws if any is blocked.</summary>
    public async ValueTask<IPAddress[]> CheckAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (port is <= 0 or > IPEndPoint.MaxPort)
        {
            throw new BlockedTargetException(host, address: null, $"port {port} is not a valid destination port");
        }

        var isLiteral = HostSpelling.TryParseAddress(host, out var literal);
        IPAddress[] addresses = isLiteral ? [literal!] : await resolve(host, cancellationToken);

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!allowPrivateTargets)
        {
            foreach (var address in addresses)
            {
                if (AddressPolicy.IsBlocked(address, out var reason))
                {
                    throw new BlockedTargetException(host, address, reason, resolved: !isLiteral);
                }
            }
        }

        return addresses;
    }

    private static async ValueTask<Stream> DialAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken) =>
        new NetworkStream(await ConnectSocketAsync(addresses, port, cancellationToken), ownsSocket: true);

    /// <summary>A TCP socket connected to the first of the checked <paramref name="addresses"/> that answers (the caller owns it).</summary>
    public static async ValueTask<Socket> ConnectSocketAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var candidate in addresses)
        {
            var address = candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
