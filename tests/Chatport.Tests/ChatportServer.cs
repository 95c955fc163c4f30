using System.Net.Http.Headers;
using Chatport.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Chatport.Tests;

/// <summary>
/// The real service on a real Kestrel, bound to a free loopback port, with its own SQLite file in a
/// temporary data dir. Tests talk to it over HTTP like any client.
/// </summary>
internal sealed class ChatportServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private readonly WebApplication _app;

    private ChatportServer(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        DataDir = dataDir;
        BaseAddress = baseAddress;
        Client = NewClient(AdminKey);
    }

    public string DataDir { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="configure">Runs on the builder after Chatport's own set-up (extra services, a logger provider).</param>
    public static async Task<ChatportServer> StartAsync(
        string? adminKey = AdminKey, string? dataDir = null, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null,
        params string[] settings)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        List<string> args = ["--urls", "http://127.0.0.1:0", $"--Chatport:DataDir={dataDir}", "--Logging:LogLevel:Default=Warning"];
        if (adminKey is not null)
        {
            args.Add($"--Chatport:AdminKey={adminKey}");
        }
        args.AddRange(settings);
        var app = ChatportApp.Build([.. args], builder =>
        {
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new ChatportServer(app, dataDir, new Uri(app.Urls.First()));
    }

    /// <summary>A client of this server; <paramref name="key"/> null sends no Authorization header.</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string contentType = "application/json") =>
        Client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, contentType));

    public Task<HttpResponseMessage> PutAccountAsync(long accountId, string plan = "pro", int inactivityTimeoutSeconds = 1800) =>
        Client.PutAsync($"/v1/accounts/{accountId}", new StringContent(
            $$"""{"name":"Account {{accountId}}","plan":"{{plan}}","inactivityTimeoutSeconds":{{inactivityTimeoutSeconds}}}""",
            System.Text.Encoding.UTF8, "application/json"));

    /// <summary>
    /// A destination's deliveries (the first page, newest first), once <paramref name="done"/> holds for them: a bounded
    /// real-time wait for the dispatcher, not a timing assertion.
    /// </summary>
    public async Task<System.Text.Json.JsonElement[]> WaitForDeliveriesAsync(long accountId, string destinationId, Func<System.Text.Json.JsonElement[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await (await Client.GetAsync($"/v1/accounts/{accountId}/deliveries?destination={destinationId}")).ReadJsonAsync(System.Net.HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToArray();
            if (done(items))
            {
                return items;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never showed the expected state: {string.Join(", ", items.Select(i => i.ToString()))}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
