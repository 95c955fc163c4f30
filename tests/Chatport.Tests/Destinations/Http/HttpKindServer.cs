using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Destinations.Http;

/// <summary>
/// A Chatport server for the <c>http</c> kind's tests (account 208 on PRO, loopback targets allowed unless said),
/// with what those tests do through its API: add a destination, post the seed's sample (or a later version of it),
/// and wait for the delivery log.
/// </summary>
internal sealed class HttpKindServer : IAsyncDisposable
{
    public const long Account = 208;

    private HttpKindServer(ChatportServer server, FakeTimeProvider time) => (Server, Time) = (server, time);

    public ChatportServer Server { get; }

    /// <summary>The server's clock (retries on a "0" schedule need no advancing).</summary>
    public FakeTimeProvider Time { get; }

    public static async Task<HttpKindServer> StartAsync(bool allowPrivateTargets = true)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var server = await ChatportServer.StartAsync(time: time,
            settings: allowPrivateTargets ? ["--Chatport:Delivery:AllowPrivateTargets=true"] : []);
        await server.PutAccountAsync(Account);
        return new HttpKindServer(server, time);
    }

    public async Task<JsonElement> CreateAsync(object body) =>
        await (await Server.PostJsonAsync($"/v1/accounts/{Account}/destinations", JsonSerializer.Serialize(body))).ReadJsonAsync(HttpStatusCode.Created);

    public async Task<JsonElement> RefusedAsync(object body) =>
        await (await Server.PostJsonAsync($"/v1/accounts/{Account}/destinations", JsonSerializer.Serialize(body))).ReadJsonAsync(HttpStatusCode.BadRequest);

    public async Task<JsonElement> GetAsync(string path) => await (await Server.Client.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);

    public async Task<JsonElement> PatchAsync(string id, object body) =>
        await (await Server.Client.PatchAsync($"/v1/accounts/{Account}/destinations/{id}",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>POST …/destinations/{id}/test: the sample sent once, and what happened.</summary>
    public async Task<JsonElement> TestAsync(string id) =>
        await (await Server.Client.PostAsync($"/v1/accounts/{Account}/destinations/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>The seed's sample (version 1), or with another rating (a late rating: the next version).</summary>
    public async Task PostSampleAsync(int? rating = null, Func<string, string>? change = null)
    {
        var json = SeedEvents.CompactSample();
        if (rating is { } r)
        {
            json = json.Replace("\"rating\":5", $"\"rating\":{r}", StringComparison.Ordinal);
        }
        json = change?.Invoke(json) ?? json;
        await (await Server.PostJsonAsync("/v1/conversations", json)).ReadJsonAsync(HttpStatusCode.OK);
    }

    public async Task ReplayAsync(string deliveryId) =>
        await (await Server.Client.PostAsync($"/v1/deliveries/{deliveryId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);

    /// <summary>The destination's deliveries, newest first, once <paramref name="done"/> holds for them.</summary>
    public async Task<JsonElement[]> WaitForDeliveriesAsync(string destinationId, Func<JsonElement[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await GetAsync($"/v1/accounts/{Account}/deliveries?destination={destinationId}")).GetProperty("items").EnumerateArray().ToArray();
            if (done(items))
            {
                return items;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never showed the expected state: {string.Join(", ", items.Select(i => i.ToString()))}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the destination has <paramref name="count"/> deliveries, all succeeded.</summary>
    public Task<JsonElement[]> WaitForSucceededAsync(string destinationId, int count) =>
        WaitForDeliveriesAsync(destinationId, items => items.Length == count && items.All(i => i.GetProperty("status").GetString() == "succeeded"));

    /// <summary>A delivery's attempts, as its log shows them.</summary>
    public async Task<JsonElement[]> AttemptsAsync(string deliveryId) =>
        [.. (await GetAsync($"/v1/deliveries/{deliveryId}")).GetProperty("attemptLog").EnumerateArray()];

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
