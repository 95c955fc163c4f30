using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Chatport.Delivery.Safety;

namespace Chatport.Tests.Safety;

public sealed class SafeHttpHandlerFactoryTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    [Theory]
    [InlineData("http://127.1:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://0177.0.0.1:{0}/")]
    [InlineData("http://0x7f.1:{0}/")]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://127.0.0.1.:{0}/")]
    [InlineData("http://127。0。0。1:{0}/")]
    [InlineData("http://0.0.0.0:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    [InlineData("http://localhost:{0}/")]
    public async Task Blocked_spellings_never_reach_the_listener(string template)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var url = string.Format(CultureInfo.InvariantCulture, template, port);
            using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions()));

            var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(url)));

            var blocked = FindBlocked(error);
            Assert.NotNull(blocked);
            Assert.NotNull(blocked.Address);
            Assert.Contains("is ", blocked.Reason, StringComparison.Ordinal);
            Assert.False(listener.Pending(), $"{url} reached the listener");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task HttpClient_surfaces_the_refusal_as_the_inner_exception_and_says_why()
    {
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions()));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://10.1.2.3:8080/hook")));

        var inner = Assert.IsType<BlockedTargetException>(error.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal("10.1.2.3", inner.Host);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), inner.Address);
        Assert.Equal("10.1.2.3 is a private address (RFC 1918)", inner.Reason);
        Assert.Contains("10.1.2.3 is a private address", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowPrivateTargets", inner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ip_literals_are_not_resolved()
    {
        var resolved = 0;
        var options = new SafeHttpOptions
        {
            Resolve = (_, _) =>
            {
                Interlocked.Increment(ref resolved);
                return ValueTask.FromResult<IPAddress[]>([IPAddress.Parse("1.1.1.1")]);
            },
        };
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(options));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://2130706433:8080/")));

        Assert.NotNull(FindBlocked(error));
        Assert.Equal(0, resolved);
    }

    [Theory]
    [InlineData("1.1.1.1", "127.0.0.1")]
    [InlineData("127.0.0.1", "1.1.1.1")]
    [InlineData("2606:4700:4700::1111", "::ffff:127.0.0.1")]
    public async Task A_name_resolving_to_any_private_address_is_refused(string first, string second)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var options = new SafeHttpOptions
            {
                Resolve = (host, _) => ValueTask.FromResult(
                    host == "rebind.example" ? new[] { IPAddress.Parse(first), IPAddress.Parse(second) } : []),
            };
            using var client = new HttpClient(SafeHttpHandlerFactory.Create(options));

            var error = await Assert.ThrowsAsync<HttpRequestException>(
                () => client.GetAsync(new Uri($"http://rebind.example:{port}/")));

            var blocked = FindBlocked(error);
            Assert.NotNull(blocked);
            Assert.Equal("rebind.example", blocked.Host);
            Assert.Contains("127.0.0.1", blocked.Address!.ToString(), StringComparison.Ordinal);
            Assert.Equal("Blocked delivery target 'rebind.example': it resolves to an address that is not allowed (private, loopback or reserved). "
                + "Set Chatport:Delivery:AllowPrivateTargets to true to allow private targets.", blocked.Message);
            Assert.DoesNotContain(blocked.Address!.ToString(), error.ToString(), StringComparison.Ordinal); // nor in the wrapping exception's message
            Assert.False(listener.Pending());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Allowing_private_targets_lets_the_request_through()
    {
        await using var responder = new LoopbackResponder(Ok);
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = true }));

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{responder.Port}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, responder.Accepted);
    }

    [Fact]
    public async Task Requests_carry_no_trace_context_even_inside_a_trace()
    {
        // A webhook receiver is a third party: our trace ids are none of its business.
        using var source = new System.Diagnostics.ActivitySource("Chatport.Tests.Trace");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var responder = new LoopbackResponder(Ok);
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = true }));

        using (var activity = source.StartActivity("import"))
        {
            Assert.NotNull(activity);
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{responder.Port}/"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotNull(responder.LastRequestHead);
        Assert.DoesNotContain("traceparent", responder.LastRequestHead, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Request-Id", responder.LastRequestHead, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_checked_resolved_address_is_the_one_dialled()
    {
        await using var responder = new LoopbackResponder(Ok);
        var asked = new List<string>();
        var options = new SafeHttpOptions
        {
            AllowPrivateTargets = true,
            Resolve = (host, _) =>
            {
                lock (asked)
                {
                    asked.Add(host);
                }

                return ValueTask.FromResult<IPAddress[]>([IPAddress.Loopback]);
            },
        };
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(options));

        using var response = await client.GetAsync(new Uri($"http://service.invalid:{responder.Port}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["service.invalid"], asked);
    }

    [Fact]
    public async Task Mapped_addresses_are_dialled_as_IPv4()
    {
        await using var responder = new LoopbackResponder(Ok);
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = true }));

        using var response = await client.GetAsync(new Uri($"http://[::ffff:127.0.0.1]:{responder.Port}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        try
        {
            var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
            await using var responder = new LoopbackResponder(
                $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{otherPort}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = true }));

            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{responder.Port}/"));

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal(new Uri($"http://127.0.0.1:{otherPort}/"), response.Headers.Location);
            Assert.False(other.Pending());
        }
        finally
        {
            other.Stop();
        }
    }

    [Fact]
    public async Task Port_zero_is_refused_even_when_private_targets_are_allowed()
    {
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(new SafeHttpOptions { AllowPrivateTargets = true }));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://127.0.0.1:0/")));

        var blocked = FindBlocked(error);
        Assert.NotNull(blocked);
        Assert.Null(blocked.Address);
        Assert.Contains("port 0", blocked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_handler_is_configured_for_webhooks()
    {
        var options = new SafeHttpOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 8,
        };

        using var handler = SafeHttpHandlerFactory.Create(options);

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.False(handler.UseProxy);
        Assert.Equal(DecompressionMethods.None, handler.AutomaticDecompression);
        Assert.Equal(TimeSpan.FromSeconds(3), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), handler.PooledConnectionLifetime);
        Assert.Equal(8, handler.MaxConnectionsPerServer);
        Assert.NotNull(handler.ConnectCallback);
    }

    [Fact]
    public void Options_have_the_documented_defaults()
    {
        var options = new SafeHttpOptions();

        Assert.False(options.AllowPrivateTargets);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PooledConnectionLifetime);
        Assert.Equal(64, options.MaxConnectionsPerServer);
        Assert.Null(options.Resolve);
    }

    private static BlockedTargetException? FindBlocked(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is BlockedTargetException blocked)
            {
                return blocked;
            }
        }

        return null;
    }
}
