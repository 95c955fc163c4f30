using System.Net;

namespace Chatport.Delivery.Safety;

/// <summary>
/// Which IP addresses a delivery may never dial (unless the operator allows private targets):
/// loopback, private, link-local, CGNAT, multicast, reserved, documentation and cloud metadata ranges,
/// in IPv4 and IPv6, looking through IPv6 forms that embed an IPv4 address.
/// </summary>
public static class AddressPolicy
{
    // First match wins, so specific entries (metadata, ::, ::1, broadcast) come before their wider ranges.
    private static readonly AddressRange[] Blocked =
    [
        // IPv4
        AddressRange.Parse("169.254.169.254/32", "the cloud metadata address (AWS, GCP, Azure, Oracle, OpenStack)"),
        AddressRange.Parse("100.100.100.200/32", "a cloud metadata address (Alibaba Cloud)"),
        AddressRange.Parse("168.63.129.16/32", "a cloud platform address (Azure WireServer)"),
        AddressRange.Parse("0.0.0.0/8", "a \"this network\" address"),
        AddressRange.Parse("10.0.0.0/8", "a private address (RFC 1918)"),
        AddressRange.Parse("100.64.0.0/10", "a carrier-grade NAT (CGNAT) address"),
        AddressRange.Parse("127.0.0.0/8", "a loopback address"),
        AddressRange.Parse("169.254.0.0/16", "a link-local address"),
        AddressRange.Parse("172.16.0.0/12", "a private address (RFC 1918)"),
        AddressRange.Parse("192.0.0.0/24", "an IETF protocol assignment address"),
        AddressRange.Parse("192.0.2.0/24", "a documentation address"),
        AddressRange.Parse("192.168.0.0/16", "a private address (RFC 1918)"),
        AddressRange.Parse("198.18.0.0/15", "a benchmarking address"),
        AddressRange.Parse("198.51.100.0/24", "a documentation address"),
        AddressRange.Parse("203.0.113.0/24", "a documentation address"),
        AddressRange.Parse("224.0.0.0/4", "a multicast address"),
        AddressRange.Parse("255.255.255.255/32", "the broadcast address"),
        AddressRange.Parse("240.0.0.0/4", "a reserved address"),

        // IPv6
        AddressRange.Parse("::/128", "the unspecified address"),
        AddressRange.Parse("::1/128", "a loopback address"),
        AddressRange.Parse("::ffff:0:0/96", "an IPv4-mapped IPv6 address", embeddedIPv4Offset: 12),
        AddressRange.Parse("::/96", "an IPv4-compatible IPv6 address", embeddedIPv4Offset: 12),
        AddressRange.Parse("64:ff9b::/96", "a NAT64 address", embeddedIPv4Offset: 12),
        AddressRange.Parse("64:ff9b:1::/48", "a local-use NAT64 address"),
        AddressRange.Parse("2002::/16", "a 6to4 address", embeddedIPv4Offset: 2),
        AddressRange.Parse("fd00:ec2::254/128", "the cloud metadata address (AWS)"),
        AddressRange.Parse("fc00::/7", "a unique local address"),
        AddressRange.Parse("fe80::/10", "a link-local address"),
        AddressRange.Parse("fec0::/10", "a site-local address"),
        AddressRange.Parse("ff00::/8", "a multicast address"),
        AddressRange.Parse("2001:db8::/32", "a documentation address"),
        AddressRange.Parse("100::/64", "a discard-only address"),
    ];

    /// <summary>
    /// True when <paramref name="address"/> must not be dialled; <paramref name="reason"/> then says why,
    /// e.g. "127.0.0.1 is a loopback address". For an allowed address the reason is empty.
    /// </summary>
    public static bool IsBlocked(IPAddress address, out string reason)
    {
        ArgumentNullException.ThrowIfNull(address);

        var bytes = address.GetAddressBytes();
        foreach (var range in Blocked)
        {
            if (!range.Contains(bytes))
            {
                continue;
            }

            if (range.EmbeddedIPv4Offset is not { } offset)
            {
                reason = $"{address} is {range.Description}";
                return true;
            }

            var embedded = new IPAddress(bytes.AsSpan(offset, 4));
            if (Describe(embedded) is { } inner)
            {
                reason = $"{address} is {range.Description} for {embedded}, which is {inner}";
                return true;
            }

            break;
        }

        reason = string.Empty;
        return false;
    }

    private static string? Describe(IPAddress ipv4)
    {
        var bytes = ipv4.GetAddressBytes();
        foreach (var range in Blocked)
        {
            if (range.Contains(bytes))
            {
                return range.Description;
            }
        }

        return null;
    }
}
