using System.Net;
using System.Text.Json.Nodes;

namespace Chatport.Tests.Sources;

public sealed class RestartTests
{
    [Fact]
    public async Task An_open_chat_survives_a_restart_and_finishes_whole()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        var events = SeedEvents.Events(208, 55039, "seed").ToList();

        await using (var first = await ChatportServer.StartAsync(dataDir: dataDir))
        {
            await first.PutAccountAsync(208);
            await (await first.PostJsonAsync("/v1/events", $"[{string.Join(",", events.Take(6))}]")).ReadJsonAsync(HttpStatusCode.Accepted);
        }

        await using var second = await ChatportServer.StartAsync(dataDir: dataDir);
        var rest = await (await second.PostJsonAsync("/v1/events", $"[{string.Join(",", events.Skip(6))}]")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(4, rest.GetProperty("accepted").GetInt32());

        var body = await second.Client.GetStringAsync("/v1/accounts/208/conversations/55039");
        Assert.Equal(SeedEvents.CompactSample(), body);
    }
}
