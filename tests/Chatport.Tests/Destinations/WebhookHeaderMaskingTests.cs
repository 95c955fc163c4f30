using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatport.Tests.Destinations;

/// <summary>
/// Issue 17, "Credentials echoed": a webhook's custom headers (typically a CRM's <c>Authorization</c>) are shown with
/// their values only in the answer that set them — the create, or the change that replaced them; every GET and list
/// shows their names with null values, as the http kind does. The deliveries keep sending them as they are.
/// </summary>
public sealed class WebhookHeaderMaskingTests : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver = await Receiver.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static Dictionary<string, string?> Headers(JsonElement destination) =>
        destination.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString());

    [Fact]
    public async Task Header_values_are_shown_only_in_the_answer_that_set_them()
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations", new
        {
            kind = "webhook", url = _receiver.Url, headers = new Dictionary<string, string> { ["Authorization"] = "Bearer crm-1", ["X-Team"] = "support" },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = "Bearer crm-1", ["X-Team"] = "support" }, Headers(created));

        var read = await (await _server.Client.GetAsync($"/v1/accounts/208/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = null, ["X-Team"] = null }, Headers(read));
        var list = await (await _server.Client.GetAsync("/v1/accounts/208/destinations")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = null, ["X-Team"] = null }, Headers(list[0]));
        Assert.DoesNotContain("crm-1", read.GetRawText() + list.GetRawText(), StringComparison.Ordinal);

        // A change that replaces them shows the new ones, and not the signing secret it left alone.
        var changed = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer crm-2" } })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = "Bearer crm-2" }, Headers(changed));
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("secret").ValueKind);

        // A change that rotates the secret shows the new secret, and not the headers it left alone; nor does any other change.
        var rotated = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}", new { rotateSecret = true })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("whsec_", rotated.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = null }, Headers(rotated));
        var renamed = await (await _server.Client.PatchAsJsonAsync($"/v1/accounts/208/destinations/{id}", new { name = "CRM" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = null }, Headers(renamed));
        Assert.DoesNotContain("crm-2", rotated.GetRawText() + renamed.GetRawText(), StringComparison.Ordinal);

        // What is sent is untouched by the masking.
        var test = await (await _server.Client.PostAsync($"/v1/accounts/208/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.ToString());
        Assert.Equal("Bearer crm-2", (await _receiver.WaitForAsync(1))[0].Headers["authorization"]);
    }
}
