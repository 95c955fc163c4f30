using System.Net;
using System.Text;
using System.Text.Json;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// The <c>http</c> kind without a preset, through the HTTP API on a real server against a real loopback receiver:
/// the template's names and its <c>json</c> filter, the auth and headers sent and masked, a template refused on save
/// with its line and column, one that fails at render time in the delivery log, retries, 410, the SSRF guard, and
/// the test call.
/// </summary>
public sealed class HttpKindTests : IAsyncLifetime
{
    private const string Template = """
        {"chat": {{ conversation.channel.id }}, "email": {{ conversation.visitor.email | json }},
         "first": {{ conversation.messages[0].content | json }}, "count": {{ conversation.messages.size }},
         "names": [{% for m in conversation.messages %}{{ m.name | json }}{% unless forloop.last %},{% endunless %}{% endfor %}],
         "kinds": {{ kinds | json }}, "version": {{ version }}, "account": {{ account | json }},
         "visitor": {{ conversation.visitor | json }}, "text": {{ transcript.text | json }}, "html": {{ transcript.html | json }},
         "delivery": {{ delivery.id | json }}, "key": {{ delivery.key | json }}}
        """;

    private HttpKindServer _chatport = null!;
    private VendorReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _chatport = await HttpKindServer.StartAsync();
        _receiver = await VendorReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chatport.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task The_template_renders_the_conversation_and_the_json_filter_keeps_tricky_strings_valid()
    {
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", url = _receiver.Origin + "/crm/chats", method = "PUT", template = Template,
            auth = new { type = "bearer", token = "crm-token-1" }, headers = new Dictionary<string, string> { ["X-Team"] = "support" },
        });
        var id = created.GetProperty("id").GetString()!;
        const string Tricky = "He said \"hi\"\n\t</script><b>&amp;</b> Žluťoučký kůň 🐴 \u2028 \\ end";
        await _chatport.PostSampleAsync(change: json => json.Replace("\"content\":\"Hello\"", $"\"content\":{JsonSerializer.Serialize(Tricky)}", StringComparison.Ordinal));

        var request = (await _receiver.WaitForAsync(r => r.Length == 1))[0];
        await _chatport.WaitForSucceededAsync(id, 1);
        Assert.Equal(("PUT", "/crm/chats"), (request.Method, request.Path));
        Assert.Equal("Bearer crm-token-1", request.Header("authorization"));
        Assert.Equal("support", request.Header("x-team"));
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal(("208", "55039", "1"), (request.Header("chatport-account-id"), request.Header("chatport-conversation-id"), request.Header("chatport-conversation-version")));

        var body = request.Json; // valid JSON, whatever the strings held
        Assert.Equal(55039, body.GetProperty("chat").GetInt64());
        Assert.Equal("dusan@domain.com", body.GetProperty("email").GetString());
        Assert.Equal(Tricky, body.GetProperty("first").GetString());
        Assert.Equal(6, body.GetProperty("count").GetInt32());
        Assert.Equal("John Doe", body.GetProperty("names")[1].GetString());
        Assert.Equal("completed", body.GetProperty("kinds")[0].GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal((208, "Account 208", "UTC"), (body.GetProperty("account").GetProperty("id").GetInt32(),
            body.GetProperty("account").GetProperty("name").GetString(), body.GetProperty("account").GetProperty("timeZone").GetString()));
        Assert.Equal("Dusan Kmet", body.GetProperty("visitor").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("visitor").GetProperty("group").ValueKind);
        Assert.Contains("Dusan Kmet (visitor): He said \"hi\"", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("<article class=\"chatport-transcript\">", body.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal("chatport-208-55039", body.GetProperty("key").GetString());
        Assert.DoesNotContain("</script>", request.Body, StringComparison.Ordinal); // escaped as \u003C/script\u003E, safe in HTML too
    }

    [Fact]
    public async Task Auth_and_header_values_are_secrets_shown_once_and_masked_after()
    {
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", url = _receiver.Origin + "/x", template = "{}",
            auth = new { type = "basic", username = "api", password = "p4ss" }, headers = new Dictionary<string, string> { ["X-Key"] = "k-123" },
        });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("p4ss", created.GetProperty("auth").GetProperty("password").GetString());
        Assert.Equal("k-123", created.GetProperty("headers").GetProperty("X-Key").GetString());

        foreach (var shown in new[] { await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}"), (await _chatport.GetAsync("/v1/accounts/208/destinations"))[0] })
        {
            Assert.Equal("basic", shown.GetProperty("auth").GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Null, shown.GetProperty("auth").GetProperty("password").ValueKind);
            Assert.Equal(JsonValueKind.Null, shown.GetProperty("auth").GetProperty("username").ValueKind);
            Assert.Equal(JsonValueKind.Null, shown.GetProperty("headers").GetProperty("X-Key").ValueKind);
            Assert.DoesNotContain("p4ss", shown.ToString(), StringComparison.Ordinal);
        }

        // A patch of the template keeps the secrets, and shows none.
        var patched = await _chatport.PatchAsync(id, new { template = "{\"v\": {{ version }}}" });
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("auth").GetProperty("password").ValueKind);
        var test = await _chatport.TestAsync(id);
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.ToString());
        var request = (await _receiver.WaitForAsync(r => r.Length == 1))[0];
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("api:p4ss")), request.Header("authorization"));
        Assert.Equal("k-123", request.Header("x-key"));
        Assert.Equal("{\"v\": 0}", request.Body);
        Assert.Contains("POST /x → 200", test.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss", test.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\": {{ conversation.channel.id }", "(1:")]
    [InlineData("{\n{% if version %}\n\"a\": 1\n}", "(4:")]
    [InlineData("{% bogus %}", "Unknown tag 'bogus' at (1:")]
    public async Task A_template_that_does_not_parse_is_refused_on_save_with_its_line_and_column(string template, string expected)
    {
        var refused = await _chatport.RefusedAsync(new { kind = "http", url = _receiver.Origin + "/x", template });
        var error = refused.GetProperty("errors").GetProperty("template")[0].GetString()!;
        Assert.StartsWith("template does not parse: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_that_fails_at_render_time_is_a_failed_attempt_with_its_reason_in_the_delivery_log()
    {
        var created = await _chatport.CreateAsync(new
        {
            kind = "http", url = _receiver.Origin + "/x", template = "{% for i in (1..5000000) %}{{ transcript.text }}{% endfor %}",
        });
        var id = created.GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        var failed = (await _chatport.WaitForDeliveriesAsync(id, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "failed"))[0];
        var attempts = await _chatport.AttemptsAsync(failed.GetProperty("id").GetString()!);
        Assert.Single(attempts); // trying again cannot help: dead-lettered at once, to be replayed after a fix
        Assert.StartsWith("The template ", attempts[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
        // The destination says so too: failing since that attempt, and why.
        var failing = await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}");
        Assert.NotEqual(JsonValueKind.Null, failing.GetProperty("failingSince").ValueKind);
        Assert.Equal(attempts[0].GetProperty("error").GetString(), failing.GetProperty("lastError").GetString());

        // The dispatcher is fine: a fixed template and a replay deliver it.
        await _chatport.PatchAsync(id, new { template = "{\"ok\": true}" });
        await _chatport.ReplayAsync(failed.GetProperty("id").GetString()!);
        await _chatport.WaitForSucceededAsync(id, 1);
        Assert.Equal("{\"ok\": true}", (await _receiver.WaitForAsync(r => r.Length == 1))[0].Body);
        var healed = await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (healed.GetProperty("failingSince").ValueKind, healed.GetProperty("lastError").ValueKind));
    }

    [Fact]
    public async Task Only_2xx_delivers_a_503_is_retried_and_410_disables()
    {
        _receiver.Handle = r => r.Number == 1 ? new VendorAnswer(503, "{}", RetryAfter: "0") : r.Number == 2 ? new VendorAnswer(302) : new VendorAnswer(204);
        var created = await _chatport.CreateAsync(new { kind = "http", url = _receiver.Origin + "/x", template = "{}", retrySchedule = new[] { "0", "0", "0" } });
        var id = created.GetProperty("id").GetString()!;
        await _chatport.PostSampleAsync();
        var done = (await _chatport.WaitForSucceededAsync(id, 1))[0];
        var attempts = await _chatport.AttemptsAsync(done.GetProperty("id").GetString()!);
        Assert.Equal([503, 302, 204], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));

        _receiver.Handle = _ => new VendorAnswer(410);
        await _chatport.PostSampleAsync(rating: 2);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("enabled").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, "A 410 never disabled the destination.");
            await Task.Delay(20);
        }
        Assert.Contains("410", (await _chatport.GetAsync($"/v1/accounts/208/destinations/{id}")).GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fields_are_checked_by_name()
    {
        var refused = await _chatport.RefusedAsync(new
        {
            kind = "http", url = "ftp://example.com/x", method = "DELETE", contentType = "not a type", auth = new { type = "digest" },
        });
        var errors = refused.GetProperty("errors");
        Assert.Contains("http or https", errors.GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("\"POST\", \"PUT\" or \"PATCH\"", errors.GetProperty("method")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("media type", errors.GetProperty("contentType")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("\"basic\", \"bearer\" or \"header\"", errors.GetProperty("auth")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("required", errors.GetProperty("template")[0].GetString(), StringComparison.Ordinal);

        var mixed = await _chatport.RefusedAsync(new { kind = "http", preset = "zendesk", subdomain = "acme", email = "a@acme.com", token = "t", template = "{}" });
        Assert.Contains("not used by the zendesk preset", mixed.GetProperty("errors").GetProperty("template")[0].GetString(), StringComparison.Ordinal);
        var missing = await _chatport.RefusedAsync(new { kind = "http", preset = "freshdesk", domain = "acme" });
        Assert.Contains("apiKey is required by the freshdesk preset", missing.GetProperty("errors").GetProperty("apiKey")[0].GetString(), StringComparison.Ordinal);
        var unknown = await _chatport.RefusedAsync(new { kind = "http", preset = "salesforce" });
        Assert.Contains("\"zendesk\", \"freshdesk\", \"hubspot\", \"pipedrive\", \"slack\" or \"teams\"", unknown.GetProperty("errors").GetProperty("preset")[0].GetString(), StringComparison.Ordinal);

        await _chatport.Server.PutAccountAsync(209, plan: "free");
        var free = await _chatport.Server.PostJsonAsync("/v1/accounts/209/destinations", JsonSerializer.Serialize(new { kind = "http", url = _receiver.Origin, template = "{}" }));
        Assert.Equal(HttpStatusCode.Forbidden, free.StatusCode);
    }

    [Fact]
    public async Task A_private_url_or_base_url_is_refused_on_save_unless_private_targets_are_allowed()
    {
        await using var strict = await HttpKindServer.StartAsync(allowPrivateTargets: false);
        var plain = await strict.RefusedAsync(new { kind = "http", url = "http://127.0.0.1:8080/x", template = "{}" });
        Assert.Contains("private address", plain.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        var preset = await strict.RefusedAsync(new { kind = "http", preset = "hubspot", token = "t", baseUrl = "http://10.0.0.5" });
        Assert.Contains("baseUrl points at a private address", preset.GetProperty("errors").GetProperty("baseUrl")[0].GetString(), StringComparison.Ordinal);
        var slack = await strict.RefusedAsync(new { kind = "http", preset = "slack", url = "http://[::1]/services/x" });
        Assert.Contains("private address", slack.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);

        // A host name that resolves to loopback passes the save and is stopped by the guarded client at send.
        var created = await strict.CreateAsync(new { kind = "http", url = "http://localhost:9/x", template = "{}" });
        var test = await strict.TestAsync(created.GetProperty("id").GetString()!);
        Assert.False(test.GetProperty("succeeded").GetBoolean());
        Assert.StartsWith("Blocked before connecting", test.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
