using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Portal;

/// <summary>
/// The portal's delivery pages over plain HTTP (signed in with the admin key, forms posted with their antiforgery
/// token): the log with its filters, one delivery with its attempts and replay, "replay failed since", the live view.
/// </summary>
public sealed class DeliveryPagesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SeedEnd = DateTimeOffset.FromUnixTimeMilliseconds(1427470476687);

    private readonly FakeTimeProvider _time = new(SeedEnd.AddMinutes(1));
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver = await Receiver.StartAsync();
        await _server.PutAccountAsync(208);
        _browser = await PortalBrowser.SignedInAsync(_server);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await _browser.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Html)> PostAsync(string path, string handler, Dictionary<string, string> form)
    {
        form["__antiforgery"] = PortalBrowser.Token(await _browser.GetStringAsync(path));
        var response = await _browser.PostAsync($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}handler={handler}", new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> AddWebhookAsync(object? retrySchedule = null)
    {
        var created = await (await _server.Client.PostAsJsonAsync("/v1/accounts/208/destinations",
            retrySchedule is null ? new { kind = "webhook", url = _receiver.Url, name = "CRM", retrySchedule = (string[]?)null }
            : new { kind = "webhook", url = _receiver.Url, name = "CRM", retrySchedule = (string[]?)retrySchedule })).ReadJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private async Task<(string Id, string Destination)> DeliveredAsync(string status = "succeeded", object? retrySchedule = null)
    {
        var destination = await AddWebhookAsync(retrySchedule);
        await (await _server.PostJsonAsync("/v1/conversations", SeedEvents.CompactSample())).ReadJsonAsync(HttpStatusCode.OK);
        var delivery = (await _server.WaitForDeliveriesAsync(208, destination, items => items.Length == 1 && items[0].GetProperty("status").GetString() == status)).Single();
        return (delivery.GetProperty("id").GetString()!, destination);
    }

    [Fact]
    public async Task The_delivery_log_shows_each_delivery_and_filters_by_status_destination_and_time()
    {
        var (id, destination) = await DeliveredAsync();

        var (status, html) = await GetAsync("/accounts/208/deliveries");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"/accounts/208/deliveries/{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/accounts/208/conversations/55039\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"status-succeeded\"", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{destination}\">CRM</option>", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Deliveries", html, StringComparison.Ordinal);

        Assert.Contains("id=\"no-deliveries\"", (await GetAsync("/accounts/208/deliveries?status=failed")).Html, StringComparison.Ordinal);
        Assert.Contains(id, (await GetAsync($"/accounts/208/deliveries?status=succeeded&destination={destination}")).Html, StringComparison.Ordinal);
        Assert.Contains("id=\"no-deliveries\"", (await GetAsync("/accounts/208/deliveries?destination=dst_none")).Html, StringComparison.Ordinal);
        var from = _time.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(id, (await GetAsync($"/accounts/208/deliveries?from={from}")).Html, StringComparison.Ordinal);
        Assert.Contains("id=\"no-deliveries\"", (await GetAsync($"/accounts/208/deliveries?to={from}")).Html, StringComparison.Ordinal);

        var (badStatus, bad) = await GetAsync("/accounts/208/deliveries?from=soon");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("from must be epoch milliseconds or an ISO 8601 time.", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_shows_its_attempts_and_replays_under_the_same_id()
    {
        var (id, _) = await DeliveredAsync();

        var (status, html) = await GetAsync($"/accounts/208/deliveries/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"attempts\"", html, StringComparison.Ordinal);
        Assert.Contains("<td>200</td>", html, StringComparison.Ordinal);
        Assert.Contains("CRM", html, StringComparison.Ordinal);

        var (replayStatus, replayed) = await PostAsync($"/accounts/208/deliveries/{id}", "Replay", []);
        Assert.Equal(HttpStatusCode.OK, replayStatus);
        Assert.Contains($"Queued again under the same id ({id})", replayed, StringComparison.Ordinal);
        var requests = await _receiver.WaitForAsync(2);
        Assert.All(requests, r => Assert.Equal(id, r.Headers["webhook-id"]));

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/accounts/208/deliveries/msg_none")).Status);
        await _server.PutAccountAsync(209);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/accounts/209/deliveries/{id}")).Status); // another account's delivery
    }

    [Fact]
    public async Task Replay_failed_since_queues_a_destinations_dead_letters_again()
    {
        _receiver.Respond = (_, _) => Task.FromResult(400);
        var (id, destination) = await DeliveredAsync("failed", retrySchedule: new[] { "0" });
        Assert.Contains("class=\"status-failed\"", (await GetAsync("/accounts/208/deliveries?status=failed")).Html, StringComparison.Ordinal);

        _receiver.Respond = (_, _) => Task.FromResult(200);
        var since = _time.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var (status, html) = await PostAsync("/accounts/208/deliveries", "Replay", new() { ["replayDestination"] = destination, ["since"] = since });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1 failed deliveries were queued again (same ids).", html, StringComparison.Ordinal);
        await _server.WaitForDeliveriesAsync(208, destination, items => items.Single().GetProperty("status").GetString() == "succeeded");

        var (missing, refused) = await PostAsync("/accounts/208/deliveries", "Replay", new() { ["replayDestination"] = destination, ["since"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("Give the time to replay from", refused, StringComparison.Ordinal);
        Assert.Contains(id, refused, StringComparison.Ordinal); // the log is shown beside the refusal
    }

    [Fact]
    public async Task The_live_view_counts_the_last_minutes_per_destination_and_refreshes_itself_when_asked()
    {
        await DeliveredAsync();

        var (status, html) = await GetAsync("/accounts/208/live?refresh=on");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"10\">", html, StringComparison.Ordinal);
        Assert.Contains(">Stop refreshing</a>", html, StringComparison.Ordinal);
        Assert.Contains($"Read at {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"conversations-5\">1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"conversations-60\">1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"succeeded\"><span class=\"ok\">1</span></dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"pending\">0</dd>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"live-destinations\"", html, StringComparison.Ordinal);
        Assert.Contains(">CRM</a>", html, StringComparison.Ordinal);

        var (_, still) = await GetAsync("/accounts/208/live"); // refreshing is the person's choice (WCAG 2.2.1)
        Assert.DoesNotContain("http-equiv=\"refresh\"", still, StringComparison.Ordinal);
        Assert.Contains("href=\"/accounts/208/live?refresh=on\"", still, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/accounts/404/live")).Status);
    }
}
