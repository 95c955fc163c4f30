using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Chatport.Tests.Api;

public sealed class AccountsApiTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatportServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        _server.Client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Put_creates_then_updates_and_get_reads_it_back()
    {
        var created = await PutJsonAsync("/v1/accounts/208", """{"name":"Acme","plan":"pro"}""");
        var account = await created.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("/v1/accounts/208", created.Headers.Location?.OriginalString);
        Assert.Equal(208, account.GetProperty("accountId").GetInt64());
        Assert.Equal("pro", account.GetProperty("plan").GetString());
        Assert.Equal(1800, account.GetProperty("inactivityTimeoutSeconds").GetInt32());

        var updated = await PutJsonAsync("/v1/accounts/208", """{"name":"Acme 2","plan":"free","inactivityTimeoutSeconds":60}""");
        await updated.ReadJsonAsync(HttpStatusCode.OK);

        var read = await (await _server.Client.GetAsync("/v1/accounts/208")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Acme 2", read.GetProperty("name").GetString());
        Assert.Equal("free", read.GetProperty("plan").GetString());
        Assert.Equal(60, read.GetProperty("inactivityTimeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task An_unknown_account_is_a_404_problem()
    {
        var problem = await (await _server.Client.GetAsync("/v1/accounts/999")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-wrong-key-wrong-key")]
    public async Task Without_a_valid_key_every_call_is_401(string? key)
    {
        using var client = _server.NewClient(key);

        var put = await client.PutAsJsonAsync("/v1/accounts/1", new { name = "x", plan = "free" });
        var get = await client.GetAsync("/v1/accounts/1");

        await put.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await get.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", get.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/1")).StatusCode); // nothing was saved
    }

    [Fact]
    public async Task A_basic_auth_header_is_refused_with_a_hint()
    {
        using var client = _server.NewClient(null);
        client.DefaultRequestHeaders.Authorization = new("Basic", "dXNlcjpwYXNz");

        var problem = await (await client.GetAsync("/v1/accounts/1")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Acme","plan":""", "not valid")]
    [InlineData("not json at all", "not valid")]
    [InlineData("""{"name":"Acme","plan":"pro","inactivityTimeoutSeconds":"soon"}""", "`inactivityTimeoutSeconds`")]
    [InlineData("""{"name":"Acme","plan":"pro","planType":"x"}""", "planType")]
    [InlineData("[1,2]", "JSON object")]
    public async Task Malformed_json_is_a_400_that_says_what_is_wrong(string body, string expected)
    {
        var problem = await (await PutJsonAsync("/v1/accounts/5", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"plan":"pro"}""", "name")]
    [InlineData("""{"name":"Acme"}""", "plan")]
    [InlineData("""{"name":"Acme","plan":"gold"}""", "plan")]
    [InlineData("""{"name":"Acme","plan":"pro","inactivityTimeoutSeconds":0}""", "inactivityTimeoutSeconds")]
    [InlineData("""{"name":"   ","plan":"pro"}""", "name")]
    [InlineData("null", "body")]
    public async Task Invalid_fields_are_a_400_validation_problem_naming_them(string body, string field)
    {
        var problem = await (await PutJsonAsync("/v1/accounts/5", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/5")).StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("99999999999999999999999")]
    public async Task A_bad_account_id_is_a_400(string id)
    {
        await (await PutJsonAsync($"/v1/accounts/{id}", """{"name":"Acme","plan":"pro"}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        var response = await _server.Client.PutAsync("/v1/accounts/5", new StringContent("name=Acme", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_account_keeps_its_time_zone_and_an_unknown_zone_is_refused()
    {
        var created = await (await _server.Client.PutAsync("/v1/accounts/77", new StringContent(
            """{"name":"Acme","plan":"pro","timeZone":"Europe/Prague"}""", System.Text.Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Europe/Prague", created.GetProperty("timeZone").GetString());
        var read = await (await _server.Client.GetAsync("/v1/accounts/77")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Europe/Prague", read.GetProperty("timeZone").GetString());

        var refused = await (await _server.Client.PutAsync("/v1/accounts/77", new StringContent(
            """{"name":"Acme","plan":"pro","timeZone":"Mars/Olympus"}""", System.Text.Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("timeZone must be an IANA time zone", refused.GetProperty("errors").GetProperty("timeZone")[0].GetString(), StringComparison.Ordinal);
        var unchanged = await (await _server.Client.GetAsync("/v1/accounts/77")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Europe/Prague", unchanged.GetProperty("timeZone").GetString());
    }
}
