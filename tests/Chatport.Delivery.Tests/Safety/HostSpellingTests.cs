using System.Net;
using Chatport.Delivery.Safety;

namespace Chatport.Tests.Safety;

public sealed class HostSpellingTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0X7F.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.0x0.0x0.0x1", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("10.0x10000", "10.1.0.0")]
    [InlineData("169.254.43518", "169.254.169.254")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0x", "0.0.0.0")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("1.1.1.1", "1.1.1.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("::ffff:7f00:1", "::ffff:127.0.0.1")]
    public void Parses_every_numeric_spelling(string host, string expected)
    {
        Assert.True(HostSpelling.TryParseAddress(host, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("example.com")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.65536")]
    [InlineData("1.16777216")]
    [InlineData("4294967296")]
    [InlineData("0x100000000")]
    [InlineData("99999999999999999999")]
    [InlineData("08.0.0.1")]
    [InlineData("09")]
    [InlineData("0xg")]
    [InlineData("1..2")]
    [InlineData(".1")]
    [InlineData("127.0.0.1..")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("[::1")]
    [InlineData("1:2")]
    [InlineData("127。0。0。1")]
    public void Leaves_names_and_malformed_numbers_to_the_resolver(string host)
    {
        Assert.False(HostSpelling.TryParseAddress(host, out var address));
        Assert.Null(address);
    }

    // What .NET's Uri does before the handler ever sees the host: the inet_aton forms are canonicalized
    // to a dotted quad, so DnsEndPoint.Host is already "127.0.0.1". A trailing dot is kept as a DNS name,
    // and ideographic full stops become ASCII dots in IdnHost (which is what SocketsHttpHandler dials).
    [Theory]
    [InlineData("http://127.1/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://127.0.1/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://2130706433/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://0x7f000001/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://0x7f.1/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://0177.0.0.1/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://017700000001/", "127.0.0.1", UriHostNameType.IPv4)]
    [InlineData("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1", UriHostNameType.IPv6)]
    [InlineData("http://127.0.0.1./", "127.0.0.1.", UriHostNameType.Dns)]
    [InlineData("http://08.0.0.1/", "08.0.0.1", UriHostNameType.Dns)]
    [InlineData("http://4294967296/", "4294967296", UriHostNameType.Dns)]
    [InlineData("http://127。0。0。1/", "127.0.0.1", UriHostNameType.Dns)]
    public void Documents_what_Uri_does_with_numeric_hosts(string url, string idnHost, UriHostNameType type)
    {
        var uri = new Uri(url);

        Assert.Equal(idnHost, uri.IdnHost);
        Assert.Equal(type, uri.HostNameType);
    }
}
