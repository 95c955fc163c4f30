using System.Globalization;
using System.Net;

namespace Chatport.Delivery.Safety;

/// <summary>
/// One row of the <see cref="AddressPolicy"/> table: a CIDR range and what an address in it is.
/// When <see cref="EmbeddedIPv4Offset"/> is set, the range is an IPv6 wrapper around an IPv4 address
/// (mapped, compatible, NAT64, 6to4) and the verdict is that of the embedded IPv4 address.
/// </summary>
internal sealed class AddressRange
{
    private readonly byte[] _network;

    private AddressRange(byte[] network, int prefixLength, string description, int? embeddedIPv4Offset)
    {
        _network = network;
        PrefixLength = prefixLength;
        Description = description;
        EmbeddedIPv4Offset = embeddedIPv4Offset;
    }

    public int PrefixLength { get; }

    /// <summary>What an address in the range is, e.g. "a loopback address".</summary>
    public string Description { get; }

    /// <summary>Byte offset of the embedded IPv4 address, or null for a plain range.</summary>
    public int? EmbeddedIPv4Offset { get; }

    /// <summary>Parses "10.0.0.0/8" or "fc00::/7".</summary>
    public static AddressRange Parse(string cidr, string description, int? embeddedIPv4Offset = null)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var network = IPAddress.Parse(cidr.AsSpan(0, slash)).GetAddressBytes();
        var prefix = int.Parse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (prefix > network.Length * 8)
        {
            throw new ArgumentOutOfRangeException(nameof(cidr), cidr, "The prefix is longer than the address.");
        }

        return new AddressRange(network, prefix, description, embeddedIPv4Offset);
    }

    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != _network.Length)
        {
            return false;
        }

        var fullBytes = PrefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = PrefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (address[fullBytes] & mask) == (_network[fullBytes] & mask);
    }
}
