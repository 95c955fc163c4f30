using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chatport.RateLimits;

/// <summary>
/// Counts wrong API keys per client address (<see cref="RateLimitOptions.FailedAuth"/>). The authentication handler
/// asks <see cref="Blocked"/> before it checks a key and tells <see cref="Failed"/> after a wrong one. The windows
/// are System.Threading.RateLimiting's, which keep their own clock (it takes no <see cref="TimeProvider"/>); an idle
/// address's window is dropped by the library, so a spray of addresses holds no memory for long.
/// </summary>
internal sealed class FailedAuthLimiter : IDisposable
{
    /// <summary>What a refused address is told.</summary>
    public const string Refusal = "Too many wrong API keys came from this address; calls with a key from it are refused for now, a right key too.";

    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _window;

    public FailedAuthLimiter(IOptions<RateLimitOptions> options)
    {
        var limit = options.Value.FailedAuth;
        _window = limit.Window;
        if (limit.On)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(address =>
                RateLimitPartition.GetFixedWindowLimiter(address, _ => RateLimitPolicies.Window(limit)));
        }
    }

    /// <summary>When the address has used up its wrong keys for this window: how long until it may try again.</summary>
    public TimeSpan? Blocked(HttpContext context)
    {
        if (_limiter is null)
        {
            return null;
        }
        using var lease = _limiter.AttemptAcquire(AddressOf(context), permitCount: 0); // looks, takes nothing
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts one wrong key; when it was one too many, how long until the address may try again.</summary>
    public TimeSpan? Failed(HttpContext context)
    {
        if (_limiter is null)
        {
            return null;
        }
        using var lease = _limiter.AttemptAcquire(AddressOf(context));
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;

    /// <summary>The client's address; IPv6 by its /64 (one host's share), an IPv4-mapped one as IPv4.</summary>
    internal static string AddressOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return address.ToString();
    }

    public void Dispose() => _limiter?.Dispose();
}
