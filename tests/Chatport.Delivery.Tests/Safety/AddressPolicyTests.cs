using System.Net;
using Chatport.Delivery.Safety;

namespace Chatport.Tests.Safety;

public sealed class AddressPolicyTests
{
    [Theory]
    // IPv4
    [InlineData("0.0.0.0", "\"this network\"")]
    [InlineData("0.255.255.255", "\"this network\"")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("168.63.129.16", "Azure WireServer")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.0.0.1", "IETF protocol assignment")]
    [InlineData("192.0.0.192", "IETF protocol assignment")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.9", "documentation")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("254.1.2.3", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    // IPv6
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped IPv6 address for 127.0.0.1, which is a loopback")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped IPv6 address for 10.0.0.1, which is a private")]
    [InlineData("::ffff:169.254.169.254", "which is the cloud metadata")]
    [InlineData("::ffff:0.0.0.0", "IPv4-mapped")]
    [InlineData("::127.0.0.1", "IPv4-compatible IPv6 address for 127.0.0.1, which is a loopback")]
    [InlineData("::192.168.0.1", "IPv4-compatible")]
    [InlineData("64:ff9b::7f00:1", "NAT64 address for 127.0.0.1, which is a loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 address for 169.254.169.254, which is the cloud metadata")]
    [InlineData("64:ff9b:1::1", "local-use NAT64")]
    [InlineData("2002:7f00:1::1", "6to4 address for 127.0.0.1, which is a loopback")]
    [InlineData("2002:c0a8:101::1", "6to4 address for 192.168.1.1, which is a private")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("feff::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("ff0e::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001:db8:ffff::1", "documentation")]
    [InlineData("100::1", "discard-only")]
    [InlineData("100::ffff:ffff:ffff:ffff", "discard-only")]
    public void Blocks_with_a_reason(string text, string because)
    {
        var address = IPAddress.Parse(text);

        var blocked = AddressPolicy.IsBlocked(address, out var reason);

        Assert.True(blocked, text);
        Assert.StartsWith($"{address} is ", reason, StringComparison.Ordinal);
        Assert.Contains(because, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:1.1.1.1")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("100:0:0:1::1")]
    [InlineData("fbff:ffff::1")]
    [InlineData("2001:db9::1")]
    [InlineData("fe7f::1")]
    public void Allows_public_addresses(string text)
    {
        var blocked = AddressPolicy.IsBlocked(IPAddress.Parse(text), out var reason);

        Assert.False(blocked, reason);
        Assert.Equal(string.Empty, reason);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1 is a loopback address")]
    [InlineData("10.1.2.3", "10.1.2.3 is a private address (RFC 1918)")]
    [InlineData("100.64.1.1", "100.64.1.1 is a carrier-grade NAT (CGNAT) address")]
    [InlineData("::1", "::1 is a loopback address")]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1 is an IPv4-mapped IPv6 address for 127.0.0.1, which is a loopback address")]
    public void Reasons_read_as_sentences(string text, string expected)
    {
        AddressPolicy.IsBlocked(IPAddress.Parse(text), out var reason);

        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => AddressPolicy.IsBlocked(null!, out _));
    }
}
