using System.Net;
using System.Text.Json;
using Chatport.Delivery.Destinations;
using Microsoft.Extensions.DependencyInjection;

namespace Chatport.Tests.Destinations.InFlight;

/// <summary>
/// A kind may ask for more of one destination's deliveries in flight than the dispatcher's default (the file and sql
/// kinds do, so their group commits get bigger batches); a kind that does not ask gets the default, 16.
/// </summary>
public sealed class InFlightTests : IAsyncLifetime
{
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(configure: builder =>
        {
            builder.Services.AddDestinationKind<WideKind>();
            builder.Services.AddDestinationKind<NarrowKind>();
        });
        await _server.PutAccountAsync(208, plan: "free");
    }

    public async Task DisposeAsync()
    {
        _server.Services.GetRequiredService<WideKind>().Release();
        _server.Services.GetRequiredService<NarrowKind>().Release();
        await _server.DisposeAsync();
    }

    private static string Conversations(IEnumerable<int> chats) =>
        "[" + string.Join(",", chats.Select(chat => SeedEvents.CompactSample().Replace("\"channel\":{\"id\":55039", $"\"channel\":{{\"id\":{chat}", StringComparison.Ordinal))) + "]";

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, state());
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData("wide", 40)]
    [InlineData("narrow", 16)]
    public async Task A_destination_has_as_many_deliveries_in_flight_as_its_kind_asks_for(string kindName, int expected)
    {
        HeldKind kind = kindName == "wide" ? _server.Services.GetRequiredService<WideKind>() : _server.Services.GetRequiredService<NarrowKind>();
        await (await _server.PostJsonAsync("/v1/accounts/208/destinations", JsonSerializer.Serialize(new { kind = kindName })))
            .ReadJsonAsync(HttpStatusCode.Created);

        // One first: once it is being sent, the dispatcher has read the destination and knows its kind.
        await (await _server.PostJsonAsync("/v1/conversations", Conversations([1]))).ReadJsonAsync(HttpStatusCode.OK);
        await WaitUntilAsync(() => kind.InFlight == 1, () => $"{kind.InFlight} in flight, not 1.");
        await (await _server.PostJsonAsync("/v1/conversations", Conversations(Enumerable.Range(2, 99)))).ReadJsonAsync(HttpStatusCode.OK);

        await WaitUntilAsync(() => kind.InFlight == expected, () => $"{kind.InFlight} in flight, not {expected}.");
        kind.Release();
        await WaitUntilAsync(() => kind.InFlight == 0, () => $"{kind.InFlight} still in flight.");
        Assert.Equal(expected, kind.Most);
    }
}
