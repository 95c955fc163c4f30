using System.Net;
using System.Text.Json;
using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Destinations;
using Chatport.Application.Keys;
using Chatport.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chatport.Tests.Hosting;

/// <summary>The application services on a plain host, as a command-line tool builds them: the same rules, no web host.</summary>
public sealed class CommandHostTests
{
    [Fact]
    public async Task Services_built_without_the_web_host_change_the_data_a_server_then_serves()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        string destinationId;
        using (var host = await ChatportCommandHost.BuildAsync([$"--Chatport:DataDir={dataDir}"]))
        {
            Assert.Null(host.Services.GetService<IServer>()); // no Kestrel
            Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Namespace!.StartsWith("Chatport.Delivery", StringComparison.Ordinal)
                || s.GetType().Name.Contains("Inactivity", StringComparison.Ordinal));

            var accounts = host.Services.GetRequiredService<AccountService>();
            Assert.Equal(ResultStatus.Created, (await accounts.PutAsync(31, new AccountRequest("Thirty-one", "pro", null))).Status);
            Assert.Equal(ResultStatus.Invalid, (await accounts.PutAsync(32, new AccountRequest("", "gold", null))).Status);

            var destinations = host.Services.GetRequiredService<DestinationService>();
            using var body = JsonDocument.Parse("""{"kind":"webhook","name":"CRM","url":"https://crm.example/in"}""");
            var created = await destinations.CreateAsync(31, body.RootElement);
            Assert.Equal(ResultStatus.Created, created.Status);
            destinationId = created.Value!.Destination.Id;
            Assert.StartsWith("whsec_", DestinationJson.Compose(created.Value)["secret"]!.GetValue<string>(), StringComparison.Ordinal);

            using var wrong = JsonDocument.Parse("""{"kind":"webhook","url":"ftp://crm.example/in"}""");
            var refused = await destinations.CreateAsync(31, wrong.RootElement);
            Assert.Equal(ResultStatus.Invalid, refused.Status);
            Assert.Contains("http or https", refused.Errors!["url"][0], StringComparison.Ordinal);

            Assert.Equal(ResultStatus.Created, (await host.Services.GetRequiredService<KeyService>().CreateAsync(31, "cli")).Status);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var server = await ChatportServer.StartAsync(dataDir: dataDir);
        var destination = await (await server.Client.GetAsync($"/v1/accounts/31/destinations/{destinationId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("CRM", "https://crm.example/in", JsonValueKind.Null),
            (destination.GetProperty("name").GetString(), destination.GetProperty("url").GetString(), destination.GetProperty("secret").ValueKind));
        var keys = await (await server.Client.GetAsync("/v1/accounts/31/keys")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cli", Assert.Single(keys.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_conversation_imported_without_the_web_host_is_delivered_by_the_next_server_that_runs()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        await using var receiver = await Receiver.StartAsync();
        using (var host = await ChatportCommandHost.BuildAsync([$"--Chatport:DataDir={dataDir}", "--Chatport:Delivery:AllowPrivateTargets=true"]))
        {
            await host.Services.GetRequiredService<AccountService>().PutAsync(208, new AccountRequest("Acme", "pro", null));
            using var body = JsonDocument.Parse($$"""{"kind":"webhook","url":"{{receiver.Url}}"}""");
            Assert.Equal(ResultStatus.Created, (await host.Services.GetRequiredService<DestinationService>().CreateAsync(208, body.RootElement)).Status);
            var (items, errors, _, _) = Chatport.Sources.Import.ImportReader.Read(System.Text.Encoding.UTF8.GetBytes(SeedEvents.CompactSample()));
            Assert.Empty(errors.First);
            var (result, refused) = await host.Services.GetRequiredService<Chatport.Sources.Import.ConversationImporter>().ImportAsync(items);
            Assert.Empty(refused.First);
            Assert.Equal(1, result!.Imported);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Empty(receiver.Requests); // nothing in that process sends

        await using var server = await ChatportServer.StartAsync(dataDir: dataDir, settings: "--Chatport:Delivery:AllowPrivateTargets=true");

        var delivered = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(SeedEvents.CompactSample(), System.Text.Encoding.UTF8.GetString(delivered.Body));
    }
}
