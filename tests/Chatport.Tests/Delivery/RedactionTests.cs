using System.Net;
using System.Text;
using System.Text.Json;
using Chatport.Delivery.Signing;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Delivery;

/// <summary>A destination's redaction, end to end: what a receiver gets is masked, and signed as sent.</summary>
public sealed class RedactionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;
    private Receiver _masked = null!;
    private Receiver _plain = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _masked = await Receiver.StartAsync();
        _plain = await Receiver.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _masked.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Fact]
    public async Task A_redacting_webhook_gets_masked_contents_and_emptied_visitor_fields_signed_as_sent()
    {
        var masked = await (await _server.PostJsonAsync("/v1/accounts/208/destinations", $$"""
            {"kind":"webhook","url":"{{_masked.Url}}","redact":["email","card"],"redactVisitor":["email","ipAddress"]}
            """)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["email", "card"], masked.GetProperty("redact").EnumerateArray().Select(e => e.GetString()));
        await (await _server.PostJsonAsync("/v1/accounts/208/destinations", $$"""{"kind":"webhook","url":"{{_plain.Url}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var body = SeedEvents.CompactSample().Replace("\"content\":\"tanks.\"",
            "\"content\":\"tanks. mail dusan@domain.com, card 4111 1111 1111 1111, order 4111111111111112\"", StringComparison.Ordinal);

        await (await _server.PostJsonAsync("/v1/conversations", body)).ReadJsonAsync(HttpStatusCode.OK);

        var plain = Assert.Single(await _plain.WaitForAsync(1));
        Assert.Equal(body, Encoding.UTF8.GetString(plain.Body)); // a destination without redaction gets the body untouched
        var received = Assert.Single(await _masked.WaitForAsync(1));
        var json = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("tanks. mail [email], card [card], order 4111111111111112", json.GetProperty("messages")[4].GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("visitor").GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("visitor").GetProperty("ipAddress").ValueKind);
        Assert.Equal("Dusan Kmet", json.GetProperty("visitor").GetProperty("name").GetString());
        Assert.DoesNotContain("dusan@domain.com", Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
        var secret = masked.GetProperty("secret").GetString()!;
        var verification = WebhookVerifier.Verify(received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Headers["webhook-signature"],
            received.Body, WebhookSecret.Parse(secret), _time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.True(verification.IsValid, verification.Error);
    }

    [Fact]
    public async Task Unknown_redaction_kinds_and_visitor_fields_are_refused_by_name()
    {
        var problem = await (await _server.PostJsonAsync("/v1/accounts/208/destinations", $$"""
            {"kind":"webhook","url":"{{_masked.Url}}","redact":["emails"],"redactVisitor":["password"]}
            """)).ReadJsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("redact may hold email, phone, card and iban; not \"emails\".", problem.GetProperty("errors").GetProperty("redact")[0].GetString());
        Assert.StartsWith("redactVisitor may hold name, email,", problem.GetProperty("errors").GetProperty("redactVisitor")[0].GetString(), StringComparison.Ordinal);
    }
}
