using System.Net;
using System.Text.Json;

namespace Chatport.Tests.Api;

public sealed class OperationsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatportServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_ready_answers_healthy_without_a_key()
    {
        using var client = _server.NewClient(null);

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_accounts_api()
    {
        using var client = _server.NewClient(null);

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var path = document.GetProperty("paths").GetProperty("/v1/accounts/{accountId}");
        Assert.True(path.TryGetProperty("put", out _));
        Assert.True(path.TryGetProperty("get", out _));
    }

    [Fact]
    public async Task The_openapi_document_gives_each_destination_kind_its_create_patch_and_answer_schemas()
    {
        using var client = _server.NewClient(null);

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var create = schemas.GetProperty("WebhookDestinationCreate");
        Assert.Equal(["kind", "url"], create.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(create.GetProperty("properties").TryGetProperty("headers", out _));
        Assert.False(create.GetProperty("properties").TryGetProperty("rotateSecret", out _));
        Assert.True(schemas.GetProperty("WebhookDestinationPatch").GetProperty("properties").TryGetProperty("rotateSecret", out _));
        Assert.False(schemas.TryGetProperty("JsonElement", out _));
        var sql = schemas.GetProperty("SqlDestinationCreate");
        Assert.Equal(["kind", "provider", "connectionString"], sql.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(sql.GetProperty("properties").TryGetProperty("tablePrefix", out _));
        var post = document.GetProperty("paths").GetProperty("/v1/accounts/{accountId}/destinations").GetProperty("post");
        static string[] Refs(JsonElement schema) => [.. schema.GetProperty("oneOf").EnumerateArray().Select(s => s.GetProperty("$ref").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["#/components/schemas/EmailDestinationCreate", "#/components/schemas/FileDestinationCreate", "#/components/schemas/HttpDestinationCreate", "#/components/schemas/SqlDestinationCreate", "#/components/schemas/WebhookDestinationCreate"],
            Refs(post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        Assert.Equal(["#/components/schemas/EmailDestination", "#/components/schemas/FileDestination", "#/components/schemas/HttpDestination", "#/components/schemas/SqlDestination", "#/components/schemas/WebhookDestination"],
            Refs(post.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        Assert.Equal(["kind", "format", "path"], schemas.GetProperty("FileDestinationCreate").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["kind", "host", "tls", "from"], schemas.GetProperty("EmailDestinationCreate").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        // The http kind's fields depend on its preset, so only kind is required; the kind checks the rest.
        var http = schemas.GetProperty("HttpDestinationCreate");
        Assert.Equal(["kind"], http.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("object", http.GetProperty("properties").GetProperty("auth").GetProperty("type").GetString());
        Assert.Contains("zendesk", http.GetProperty("properties").GetProperty("preset").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_name_the_service_chatport_with_its_version()
    {
        var metrics = await _server.Client.GetStringAsync("/metrics");

        var targetInfo = metrics.Split('\n').Single(line => line.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.Contains("service_name=\"chatport\"", targetInfo, StringComparison.Ordinal);
        Assert.Contains("service_version=\"", targetInfo, StringComparison.Ordinal);
        Assert.Contains("service_instance_id=\"", targetInfo, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown_service", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_time_the_requests_by_route_and_status()
    {
        (await _server.Client.GetAsync("/health/live")).EnsureSuccessStatusCode();

        var metrics = await _server.Client.GetStringAsync("/metrics");

        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"/health/live\"", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await (await _server.Client.GetAsync("/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
