using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Chatport.Tests.Api;

/// <summary>
/// <c>/metrics</c> names every destination and how it fares: on the API's port only the metrics key
/// (<c>Chatport:Metrics:Key</c>) or the admin key read it; a management port (<c>Chatport:Management:Urls</c>) serves it
/// and the health checks with no key, and nothing else. The health checks stay open everywhere (load balancers).
/// </summary>
public sealed class ManagementTests
{
    private const string MetricsKey = "metrics-key-0123456789abcdef";

    [Fact]
    public async Task On_the_api_port_metrics_take_the_metrics_key_or_the_admin_key_and_refuse_anonymous_callers_in_plain_words()
    {
        await using var server = await ChatportServer.StartAsync(settings: $"--Chatport:Metrics:Key={MetricsKey}");
        await server.PutAccountAsync(208);
        var destination = (await (await server.PostJsonAsync("/v1/accounts/208/destinations", """{"kind":"file","format":"jsonl","path":"a.jsonl"}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        using var anonymous = server.NewClient(null);
        using var wrong = server.NewClient("not-the-metrics-key-at-all");
        using var metrics = server.NewClient(MetricsKey);

        var refused = await anonymous.GetAsync("/metrics");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Chatport:Metrics:Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(destination, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await anonymous.GetAsync("/METRICS")).AssertProblemAsync(HttpStatusCode.Unauthorized); // routing ignores case; so does the check
        await (await wrong.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("target_info{", await metrics.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains("target_info{", await server.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        // The metrics key opens nothing else; the health checks need no key.
        await (await metrics.GetAsync("/v1/accounts/208")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Without_a_metrics_key_only_the_admin_key_reads_metrics_on_the_api_port()
    {
        await using var server = await ChatportServer.StartAsync();
        using var anonymous = server.NewClient(null);

        var problem = await (await anonymous.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Chatport:Management:Urls", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_management_port_serves_metrics_and_health_with_no_key_and_nothing_else_and_a_forged_Host_does_not_reach_it()
    {
        var port = FreePort();
        await using var server = await ChatportServer.StartAsync(settings: $"--Chatport:Management:Urls=http://127.0.0.1:{port}");
        await server.PutAccountAsync(208);
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Contains("target_info{", await management.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Equal("Healthy", await management.GetStringAsync("/health/ready"));
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/health/live")).StatusCode);
        using var adminThere = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/208");
        adminThere.Headers.Authorization = new("Bearer", ChatportServer.AdminKey);
        var notHere = await (await management.SendAsync(adminThere)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("management port", notHere.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await management.GetAsync("/openapi/v1.json")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await management.PostAsync("/hooks/some-token", new StringContent("{}"))).AssertProblemAsync(HttpStatusCode.NotFound);

        // The API's port still wants a key, whatever Host the caller claims.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forged.Headers.Host = $"127.0.0.1:{port}";
        await (await server.NewClient(null).SendAsync(forged)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/accounts/208")).StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("not a url")]
    public async Task Management_urls_without_a_port_of_their_own_are_refused_at_start(string urls)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ChatportServer.StartAsync(settings: $"--Chatport:Management:Urls={urls}"));
        Assert.Contains("Chatport:Management:Urls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_does_not_echo_a_forged_Host_header()
    {
        await using var server = await ChatportServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";

        var text = await (await server.NewClient(null).SendAsync(request)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("evil.example", text, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(text).RootElement.TryGetProperty("servers", out _));
    }

    [Fact]
    public async Task The_openapi_servers_entry_is_the_configured_address_whatever_the_Host_header()
    {
        await using var server = await ChatportServer.StartAsync(settings: "--Chatport:OpenApi:ServerUrl=https://chatport.example.com/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";

        var document = await (await server.NewClient(null).SendAsync(request)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["https://chatport.example.com"], document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        Assert.DoesNotContain("evil.example", document.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
