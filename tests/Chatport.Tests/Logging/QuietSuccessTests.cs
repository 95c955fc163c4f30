using System.Net;
using System.Net.Http.Json;
using Chatport.Auth;
using Chatport.Tests.Faults;

namespace Chatport.Tests.Logging;

/// <summary>
/// A request that succeeds writes nothing to the log at the levels <c>appsettings.json</c> ships, and the
/// anonymous endpoints (hooks, health, OpenAPI) and metrics (which check their own key) never run the API-key handler.
/// </summary>
public sealed class QuietSuccessTests
{
    private const long Account = SeedBodies.AccountId; // the account the seed bodies name: a hook refuses a body for another

    private static async Task<(ChatportServer Server, string HookUrl)> StartAsync(LogCapture logs, params string[] levels)
    {
        var server = await ChatportServer.StartAsync(configure: logs.AddTo, settings: levels);
        await server.PutAccountAsync(Account);
        var source = await (await server.Client.PostAsJsonAsync($"/v1/accounts/{Account}/sources", new { kind = "hook" })).ReadJsonAsync(HttpStatusCode.Created);
        return (server, source.GetProperty("url").GetString()!);
    }

    private static async Task PostHookAsync(HttpClient anonymous, string url, long chatId)
    {
        using var content = new ByteArrayContent(SeedBodies.ConversationUtf8(chatId));
        content.Headers.ContentType = new("application/json");
        var receipt = await (await anonymous.PostAsync(url, content)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("created", receipt.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_hundred_hook_requests_and_other_successful_calls_write_no_log_entry_at_the_shipped_levels()
    {
        using var logs = new LogCapture();
        await using var receiver = await Receiver.StartAsync();
        var (server, url) = await StartAsync(logs, [.. LogCapture.ShippedLevels(), "--Chatport:Delivery:AllowPrivateTargets=true"]);
        await using var _ = server;
        using var anonymous = server.NewClient(null);
        await (await server.Client.PostAsJsonAsync($"/v1/accounts/{Account}/destinations", new { kind = "webhook", url = receiver.Url }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var before = logs.Entries.Count;

        for (var chatId = 1; chatId <= 200; chatId++)
        {
            await PostHookAsync(anonymous, url, chatId);
        }
        await (await server.PostJsonAsync("/v1/events", SeedEvents.All(accountId: Account, chatId: 1000))).ReadJsonAsync(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(201); // every conversation delivered
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode); // keyed: the admin key
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v1/accounts/{Account}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v1/accounts/{Account}/conversations")).StatusCode);

        var written = logs.Entries.Skip(before).ToList();
        Assert.True(written.Count == 0, $"{written.Count} log entries, e.g.:\n{string.Join("\n", written.Take(5))}");
    }

    [Fact]
    public async Task Anonymous_endpoints_never_run_the_api_key_handler_and_v1_calls_do()
    {
        using var logs = new LogCapture();
        var handler = typeof(ApiKeyAuthenticationHandler).FullName!;
        var (server, url) = await StartAsync(logs, $"--Logging:LogLevel:{handler}=Trace");
        await using var _ = server;
        using var anonymous = server.NewClient(null);
        var before = logs.Entries.Count;

        await PostHookAsync(anonymous, url, 1);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/hooks/not-a-token", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode); // keyed: the admin key
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        var anonymousEntries = logs.Entries.Skip(before).Where(e => e.Category == handler).ToList();
        Assert.True(anonymousEntries.Count == 0, string.Join("\n", anonymousEntries));

        var me = await (await server.Client.GetAsync($"/v1/accounts/{Account}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Account, me.GetProperty("accountId").GetInt64());
        Assert.Contains(logs.Entries, e => e.Category == handler); // the handler ran, and its entries are seen here
    }
}
