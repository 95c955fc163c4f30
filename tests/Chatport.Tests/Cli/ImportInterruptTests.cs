using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Chatport.Tests.Cli;

/// <summary>
/// Ctrl+C during <c>chatport import</c>: the real executable, sent SIGINT while its first batch is in flight (the
/// server made slow to answer it), stops after that batch with the state written and exits 130; <c>--resume</c> sends
/// only the rest.
/// </summary>
public sealed class ImportInterruptTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _firstImport = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _signalSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatport-transfer-tests", Guid.NewGuid().ToString("N"));
    private ChatportServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await ChatportServer.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IStartupFilter>(new SlowImports(_firstImport, _signalSent)));
        (await _server.PutAccountAsync(208)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// The first import says it arrived and is held until the test has sent the signal (however long starting
    /// <c>kill</c> takes on a busy machine), then a while longer for the importer to see it, before it is handled.
    /// </summary>
    private sealed class SlowImports(TaskCompletionSource first, TaskCompletionSource signalSent) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/v1/conversations" && first.TrySetResult())
                {
                    // The signal lands while this batch is in flight.
                    await signalSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private static string Conversation(long chatId)
    {
        var node = JsonNode.Parse(SeedEvents.CompactSample())!;
        node["channel"]!["id"] = chatId;
        return node.ToJsonString();
    }

    [Fact]
    public async Task Ctrl_c_stops_after_the_batch_in_flight_and_resume_sends_the_rest()
    {
        var file = Path.Combine(_dir, "chats.ndjson");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 10).Select(i => Conversation(10_001 + i)));
        var url = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        // Through `env --default-signal=INT`, which then runs dotnet in its place (same pid): a test run started in the
        // background of a shell inherits SIGINT ignored, and so would the importer, which would never see the signal.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "chatport.dll"), "import", file, "--batch", "2", "--url", url, "--key", ChatportServer.AdminKey })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await _firstImport.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        _signalSent.TrySetResult();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}; {await output}; {await error}");
        Assert.Contains("--resume", await output);
        var state = Path.Combine(_dir, ".chatport-import.state");
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(state)))
        {
            Assert.Equal(2, document.RootElement.GetProperty("files").GetProperty("chats.ndjson").GetProperty("acknowledged").GetInt32());
        }
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/accounts/208/conversations/10002")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/accounts/208/conversations/10003")).StatusCode);

        var resumed = await ChatportCli.RunAsync("import", file, "--batch", "4", "--resume", "--json", "--url", url, "--key", ChatportServer.AdminKey);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        using var summary = JsonDocument.Parse(resumed.Output);
        Assert.Equal(8, summary.RootElement.GetProperty("sent").GetInt32());
        Assert.Equal(8, summary.RootElement.GetProperty("stored").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("skipped").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/accounts/208/conversations/10010")).StatusCode);
        Assert.False(File.Exists(state));
    }
}
