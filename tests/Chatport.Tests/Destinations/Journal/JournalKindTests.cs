using System.Net;
using System.Text;
using System.Text.Json;
using Chatport.Delivery.Destinations;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Destinations.Journal;

/// <summary>
/// A destination kind that exists only in the tests (<see cref="JournalKind"/>: one folder, one registration line)
/// goes through the whole unchanged HTTP API: created, listed, patched, tested, delivered to, retried, logged,
/// replayed and disabled, as the webhook is.
/// </summary>
public sealed class JournalKindTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(
            time: _time,
            configure: builder => builder.Services.AddDestinationKind<JournalKind>()); // the one registration line
        await _server.PutAccountAsync(7, plan: "free"); // the journal does not need PRO
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CreateAsync(string json) =>
        await (await _server.PostJsonAsync("/v1/accounts/7/destinations", json)).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<JsonElement> WaitForDeliveryAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var items = (await (await _server.Client.GetAsync("/v1/accounts/7/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
            if (items.GetArrayLength() > 0 && done(items[0]))
            {
                return items[0];
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never showed the expected state: {items}");
            await Task.Delay(20);
        }
    }

    private async Task<string[]> JournalLinesAsync(string folder, int atLeast)
    {
        var path = JournalKind.PathOf(_server.DataDir, folder);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            // Only whole lines: the kind appends a body in more than one write, so a read may catch one half-written.
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            var lines = text.Split('\n')[..^1];
            if (lines.Length >= atLeast)
            {
                return lines;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The journal has {lines.Length} line(s), not {atLeast}.");
            await Task.Delay(20);
        }
    }

    private static string Import(long chatId) =>
        SeedEvents.CompactSample().Replace("\"accountId\":208", "\"accountId\":7", StringComparison.Ordinal)
            .Replace("\"id\":55039", $"\"id\":{chatId}", StringComparison.Ordinal);

    [Fact]
    public async Task A_kind_from_the_tests_is_created_listed_patched_tested_delivered_retried_logged_and_replayed()
    {
        var created = await CreateAsync("""
            {"kind":"journal","name":"Audit","folder":"audit","failFirst":1,"token":"tok-123","kinds":["completed"],"retrySchedule":["0","1h"]}
            """);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(
            ["id", "accountId", "kind", "name", "folder", "kinds", "enabled", "disabledReason", "timeoutSeconds", "retrySchedule", "redact", "redactVisitor",
             "failFirst", "gone", "createdAt", "updatedAt", "lastSuccessAt", "failingSince", "lastError", "token"],
            created.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("journal", "audit", 5, "tok-123"), (created.GetProperty("kind").GetString(), created.GetProperty("folder").GetString(),
            created.GetProperty("timeoutSeconds").GetInt32(), created.GetProperty("token").GetString()));

        // Listed and read: the secret is masked after creation.
        var listed = Assert.Single((await (await _server.Client.GetAsync("/v1/accounts/7/destinations")).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((id, JsonValueKind.Null), (listed.GetProperty("id").GetString(), listed.GetProperty("token").ValueKind));
        var read = await (await _server.Client.GetAsync($"/v1/accounts/7/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("token").ValueKind);

        // Its own fields are checked by the kind, the common ones by Chatport, and an unknown one is named.
        var invalid = await (await _server.PostJsonAsync("/v1/accounts/7/destinations", """{"kind":"journal","folder":"../up","timeoutSeconds":0}"""))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("relative folder", invalid.GetProperty("errors").GetProperty("folder")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("between 1 and 60", invalid.GetProperty("errors").GetProperty("timeoutSeconds")[0].GetString(), StringComparison.Ordinal);
        var unknown = await (await _server.PostJsonAsync("/v1/accounts/7/destinations", """{"kind":"journal","folder":"x","url":"https://a.example"}"""))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("unknown field `url`", unknown.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        var wrongType = await (await _server.PostJsonAsync("/v1/accounts/7/destinations", """{"kind":"journal","folder":5}"""))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("the value of `folder` must be a string", wrongType.GetProperty("errors").GetProperty("folder")[0].GetString());

        // Patched: only what is given changes; the secret stays masked unless set anew.
        var patched = await (await _server.Client.PatchAsync($"/v1/accounts/7/destinations/{id}",
            new StringContent("""{"name":"Audit trail","timeoutSeconds":9}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Audit trail", 9, "audit", 1, JsonValueKind.Null), (patched.GetProperty("name").GetString(), patched.GetProperty("timeoutSeconds").GetInt32(),
            patched.GetProperty("folder").GetString(), patched.GetProperty("failFirst").GetInt32(), patched.GetProperty("token").ValueKind));

        // Tested: the kind's answer, in the same shape as a webhook's.
        var test = await (await _server.Client.PostAsync($"/v1/accounts/7/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((false, "The journal is busy (attempt 1).", "busy"),
            (test.GetProperty("succeeded").GetBoolean(), test.GetProperty("error").GetString(), test.GetProperty("response").GetString()));

        // Delivered, after one retry in place; every attempt in the log, with the kind's detail.
        var body = Import(4001);
        await (await _server.PostJsonAsync("/v1/conversations", body)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([body], await JournalLinesAsync("audit", 1));
        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal((id, 2), (delivery.GetProperty("destinationId").GetString(), delivery.GetProperty("attempts").GetInt32()));
        var deliveryId = delivery.GetProperty("id").GetString()!;
        var log = (await (await _server.Client.GetAsync($"/v1/deliveries/{deliveryId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("attemptLog");
        Assert.Equal([("The journal is busy (attempt 1).", "busy"), (null, Path.Combine("audit", "journal.jsonl"))],
            log.EnumerateArray().Select(a => (a.GetProperty("error").GetString(), a.GetProperty("response").GetString())));
        Assert.All(log.EnumerateArray(), a => Assert.Equal(JsonValueKind.Null, a.GetProperty("statusCode").ValueKind));

        // Replayed: one delivery, then the destination's; the same conversation is written again each time.
        await (await _server.Client.PostAsync($"/v1/deliveries/{deliveryId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal([body, body], await JournalLinesAsync("audit", 2));
        await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "succeeded" && d.GetProperty("attempts").GetInt32() == 3);
        var replayed = await (await _server.PostJsonAsync($"/v1/accounts/7/destinations/{id}/replay", """{"status":"succeeded"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, replayed.GetProperty("replayed").GetInt32());
        Assert.Equal([body, body, body], await JournalLinesAsync("audit", 3));
    }

    [Fact]
    public async Task A_kind_that_answers_gone_disables_its_destination_with_its_own_reason()
    {
        var id = (await CreateAsync("""{"kind":"journal","folder":"closed","gone":true}""")).GetProperty("id").GetString()!;

        await (await _server.PostJsonAsync("/v1/conversations", Import(4002))).ReadJsonAsync(HttpStatusCode.OK);

        var delivery = await WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal("The journal is closed.", delivery.GetProperty("lastError").GetString());
        var destination = await (await _server.Client.GetAsync($"/v1/accounts/7/destinations/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((false, "The journal asked never to be written again."),
            (destination.GetProperty("enabled").GetBoolean(), destination.GetProperty("disabledReason").GetString()));
        Assert.False(File.Exists(JournalKind.PathOf(_server.DataDir, "closed")));
    }

    [Fact]
    public async Task A_kind_that_needs_no_plan_is_added_on_a_free_account_while_the_webhook_is_refused()
    {
        await CreateAsync("""{"kind":"journal","folder":"free"}""");

        var refused = await (await _server.PostJsonAsync("/v1/accounts/7/destinations", """{"kind":"webhook","url":"https://crm.example/in"}"""))
            .ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("The POST hook needs the PRO plan", refused.GetProperty("title").GetString());
        var unknownKind = await (await _server.PostJsonAsync("/v1/accounts/7/destinations", """{"kind":"fax"}""")).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("kind must be \"webhook\", \"file\", \"sql\", \"http\", \"email\" or \"journal\", not \"fax\".", unknownKind.GetProperty("errors").GetProperty("kind")[0].GetString());
    }
}
