using System.Net;
using System.Net.Http.Json;

namespace Chatport.Tests.Delivery;

public sealed class DestinationsApiTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync();
        await _server.PutAccountAsync(208);
        await _server.PutAccountAsync(300, plan: "free");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_free_account_cannot_have_a_webhook()
    {
        var problem = await (await _server.Client.PostAsJsonAsync("/v1/accounts/300/destinations", new { kind = "webhook", url = "https://crm.example.com/hook" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("pro", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_destination_is_created_with_a_generated_secret_shown_once()
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = "https://crm.example.com/hook", name = "CRM", kinds = new[] { "missed", "offline" } })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(15, created.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(10, created.GetProperty("retrySchedule").GetArrayLength());
        var id = created.GetProperty("id").GetString();

        var read = await (await _server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("secret").ValueKind);
        Assert.Equal(["missed", "offline"], read.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetArrayLength());
    }

    [Theory]
    [InlineData("""{"kind":"webhook"}""", "url")]
    [InlineData("""{"kind":"fax","url":"https://x.example"}""", "kind")]
    [InlineData("""{"kind":"webhook","url":"ftp://x.example/"}""", "url")]
    [InlineData("""{"kind":"webhook","url":"http://127.0.0.1:9/hook"}""", "url")]
    [InlineData("""{"kind":"webhook","url":"http://[::1]/hook"}""", "url")]
    [InlineData("""{"kind":"webhook","url":"https://user:pw@x.example/"}""", "url")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","secret":"not-a-secret"}""", "secret")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","kinds":["lost"]}""", "kinds")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","timeoutSeconds":0}""", "timeoutSeconds")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","retrySchedule":["5x"]}""", "retrySchedule")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","headers":{"webhook-signature":"x"}}""", "headers")]
    [InlineData("""{"kind":"webhook","url":"https://x.example","headers":{"X-Bad":"a\nb"}}""", "headers")]
    public async Task Invalid_destinations_are_400s_naming_the_field(string body, string field)
    {
        var response = await _server.PostJsonAsync("/v1/accounts/208/destinations", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, (await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Patch_changes_only_what_is_sent_and_delete_removes()
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            new { kind = "webhook", url = "https://crm.example.com/hook", headers = new Dictionary<string, string> { ["Authorization"] = "Bearer crm" } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();

        var patched = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}", new { timeoutSeconds = 5, enabled = false }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, patched.GetProperty("timeoutSeconds").GetInt32());
        Assert.False(patched.GetProperty("enabled").GetBoolean());
        Assert.Equal("https://crm.example.com/hook", patched.GetProperty("url").GetString());
        // The header is kept; its value, a credential, is shown only in the answer that set it.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("headers").GetProperty("Authorization").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync($"/v1/accounts/208/destinations/{id}")).StatusCode);
        await (await _server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_accounts_key_cannot_see_destinations()
    {
        var key = (await (await _server.Client.PostAsJsonAsync("/v1/accounts/300/keys", new { name = "k" })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString();
        using var client = _server.NewClient(key);

        await (await client.GetAsync("/v1/accounts/208/destinations")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/v1/accounts/208/deliveries")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
