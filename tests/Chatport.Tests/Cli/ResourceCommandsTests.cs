using System.Net;
using System.Text.Json;

namespace Chatport.Tests.Cli;

/// <summary>
/// <c>chatport accounts|destinations|sources|keys|replay</c>, the real executable against one real server: what each
/// makes, shows, changes and deletes is what the API then says, piped output is plain tab-separated lines, <c>--json</c>
/// is the server's JSON, and a refusal exits 1 with the field it names.
/// </summary>
public sealed class ResourceCommandsTests : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver = await Receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _server.DisposeAsync();
    }

    private string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Runs <c>chatport COMMAND SUBCOMMAND ARGS --url … --key ADMIN</c>.</summary>
    private Task<ChatportCli.Run> RunAsync(params string[] arguments) =>
        ChatportCli.RunAsync([.. arguments, "--url", Url, "--key", ChatportServer.AdminKey]);

    private static ChatportCli.Run Ok(ChatportCli.Run run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.DoesNotContain('\u001b', run.Error);
        return run;
    }

    /// <summary>A piped key/value view: one <c>field TAB value</c> a line.</summary>
    private static Dictionary<string, string> Fields(ChatportCli.Run run) =>
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    /// <summary>A piped list: the header line's columns, then each line by column.</summary>
    private static List<Dictionary<string, string>> Rows(ChatportCli.Run run)
    {
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split('\t');
        return [.. lines.Skip(1).Select(l => l.Split('\t')).Select(cells =>
        {
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        })];
    }

    private static JsonElement Json(ChatportCli.Run run) => JsonDocument.Parse(run.Output).RootElement;

    [Fact]
    public async Task An_account_is_created_read_listed_and_updated_and_a_second_create_is_refused()
    {
        var created = Fields(Ok(await RunAsync("accounts", "create", "301", "--name", "Acme", "--plan", "pro", "--time-zone", "Europe/Prague")));
        Assert.Equal("301", created["accountId"]);
        Assert.Equal("Acme", created["name"]);
        Assert.Equal("pro", created["plan"]);
        Assert.Equal("Europe/Prague", created["timeZone"]);
        Assert.Equal("1800", created["inactivityTimeoutSeconds"]);

        var again = await RunAsync("accounts", "create", "301", "--name", "Other");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists", again.Error, StringComparison.Ordinal);

        // update changes what is given and keeps the rest.
        var updated = Fields(Ok(await RunAsync("accounts", "update", "301", "--inactivity-timeout", "60")));
        Assert.Equal("60", updated["inactivityTimeoutSeconds"]);
        Assert.Equal("Acme", updated["name"]);
        Assert.Equal("pro", updated["plan"]);
        Assert.Equal("Europe/Prague", updated["timeZone"]);

        var got = Json(Ok(await RunAsync("accounts", "get", "301", "--json")));
        Assert.Equal(60, got.GetProperty("inactivityTimeoutSeconds").GetInt32());

        Ok(await RunAsync("accounts", "create", "302", "--name", "Beta"));
        var list = Rows(Ok(await RunAsync("accounts", "list")));
        Assert.Contains(list, r => r["accountId"] == "301" && r["name"] == "Acme" && r["plan"] == "pro");
        Assert.Contains(list, r => r["accountId"] == "302" && r["plan"] == "free");

        // One a page, all of them by following next.
        var page = Ok(await RunAsync("accounts", "list", "--limit", "1"));
        Assert.Single(Rows(page));
        Assert.Contains("--after", page.Error, StringComparison.Ordinal);
        var all = Json(Ok(await RunAsync("accounts", "list", "--limit", "1", "--all", "--json")));
        var ids = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetInt64()).ToList();
        Assert.Contains(301, ids);
        Assert.Contains(302, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var missing = await RunAsync("accounts", "get", "399");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("404", missing.Error, StringComparison.Ordinal);
        Assert.Contains("There is no account 399.", missing.Error, StringComparison.Ordinal);

        var nothing = await RunAsync("accounts", "update", "301");
        Assert.Equal(2, nothing.ExitCode);
    }

    [Fact]
    public async Task A_webhook_is_created_with_its_secret_once_tested_at_the_receiver_disabled_and_deleted()
    {
        (await _server.PutAccountAsync(311)).EnsureSuccessStatusCode();
        var create = Ok(await RunAsync("destinations", "create", "--account", "311", "--kind", "webhook", "--target", _receiver.Url,
            "--name", "CRM", "--kinds", "completed,missed", "--field", "timeoutSeconds:=5"));
        var created = Fields(create);
        var id = created["id"];
        Assert.StartsWith("whsec_", created["secret"], StringComparison.Ordinal);
        Assert.Equal("completed,missed", created["kinds"]);
        Assert.Equal("5", created["timeoutSeconds"]);
        Assert.Equal(_receiver.Url, created["url"]);
        Assert.Contains("Copy the secret now", create.Error, StringComparison.Ordinal);

        // Read again, the secret is not shown.
        var got = Ok(await RunAsync("destinations", "get", "--account", "311", id));
        Assert.Equal("", Fields(got)["secret"]);
        Assert.DoesNotContain("Copy the", got.Error, StringComparison.Ordinal);

        var test = Ok(await RunAsync("destinations", "test", "--account", "311", id));
        var result = Fields(test);
        Assert.Equal("true", result["succeeded"]);
        Assert.Equal("200", result["statusCode"]);
        Assert.Contains("latencyMs", result.Keys);
        Assert.Single(await _receiver.WaitForAsync(1));

        var disabled = Fields(Ok(await RunAsync("destinations", "update", "--account", "311", id, "--enabled", "false")));
        Assert.Equal("false", disabled["enabled"]);
        var list = Rows(Ok(await RunAsync("destinations", "list", "--account", "311")));
        Assert.Equal("false", Assert.Single(list)["enabled"]);
        Assert.Equal("CRM", list[0]["name"]);

        var rotated = Ok(await RunAsync("destinations", "update", "--account", "311", id, "--rotate-secret", "--json"));
        Assert.StartsWith("whsec_", Json(rotated).GetProperty("secret").GetString(), StringComparison.Ordinal);

        Ok(await RunAsync("destinations", "delete", "--account", "311", id));
        Assert.Empty(Rows(Ok(await RunAsync("destinations", "list", "--account", "311"))));
        var gone = await RunAsync("destinations", "get", "--account", "311", id);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("404", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_that_is_not_delivered_exits_1_and_a_body_from_stdin_is_sent_as_it_is()
    {
        (await _server.PutAccountAsync(312)).EnsureSuccessStatusCode();
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"kind":"webhook","url":"{{_receiver.Url}}","name":"From stdin"}""");
        var created = await ChatportCli.RunAsync(["destinations", "create", "--account", "312", "--body", "-", "--json", "--url", Url, "--key", ChatportServer.AdminKey], body);
        var json = Json(Ok(created));
        Assert.Equal("From stdin", json.GetProperty("name").GetString());
        var id = json.GetProperty("id").GetString()!;

        _receiver.Respond = (_, _) => Task.FromResult(500);
        try
        {
            var test = await RunAsync("destinations", "test", "--account", "312", id);
            Assert.Equal(1, test.ExitCode);
            Assert.Equal("500", Fields(test)["statusCode"]);
            Assert.Equal("false", Fields(test)["succeeded"]);
        }
        finally
        {
            _receiver.Respond = (_, _) => Task.FromResult(200);
        }
    }

    [Fact]
    public async Task A_refused_create_exits_1_naming_the_field()
    {
        (await _server.PutAccountAsync(313)).EnsureSuccessStatusCode();
        var run = await RunAsync("destinations", "create", "--account", "313", "--kind", "webhook", "--target", "not a url");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("400", run.Error, StringComparison.Ordinal);
        Assert.Contains("  url: ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);

        var json = await RunAsync("destinations", "create", "--account", "313", "--kind", "webhook", "--target", "not a url", "--json");
        Assert.Equal(1, json.ExitCode);
        Assert.True(Json(json).GetProperty("errors").TryGetProperty("url", out _), json.ToString());

        var badField = await RunAsync("destinations", "create", "--account", "313", "--kind", "webhook", "--field", "=x");
        Assert.Equal(2, badField.ExitCode);
    }

    [Fact]
    public async Task A_source_and_a_key_are_created_listed_and_deleted_or_revoked()
    {
        (await _server.PutAccountAsync(321)).EnsureSuccessStatusCode();
        var source = Ok(await RunAsync("sources", "create", "--account", "321", "--name", "Smartsupp", "--auth", "standard"));
        var made = Fields(source);
        Assert.StartsWith("/hooks/", made["url"], StringComparison.Ordinal);
        Assert.Equal("standard", made["auth"]);
        Assert.NotEqual("", made["secret"]);
        Assert.Contains("Copy the secret now", source.Error, StringComparison.Ordinal);
        var sources = Rows(Ok(await RunAsync("sources", "list", "--account", "321")));
        Assert.Equal("Smartsupp", Assert.Single(sources)["name"]);
        Assert.Equal(made["id"], Fields(Ok(await RunAsync("sources", "get", "--account", "321", made["id"])))["id"]);
        Ok(await RunAsync("sources", "delete", "--account", "321", made["id"]));
        Assert.Empty(Rows(Ok(await RunAsync("sources", "list", "--account", "321"))));

        var key = Ok(await RunAsync("keys", "create", "--account", "321", "--name", "chat platform"));
        var newKey = Fields(key);
        Assert.Contains("Copy the key now", key.Error, StringComparison.Ordinal);
        using (var client = _server.NewClient(newKey["key"]))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/321")).StatusCode);
        }
        var keys = Rows(Ok(await RunAsync("keys", "list", "--account", "321")));
        var listed = Assert.Single(keys);
        Assert.Equal(newKey["id"], listed["id"]);
        Assert.Equal("", listed["revokedAt"]);
        Assert.DoesNotContain(newKey["key"], Ok(await RunAsync("keys", "list", "--account", "321", "--json")).Output, StringComparison.Ordinal);

        Ok(await RunAsync("keys", "revoke", "--account", "321", newKey["id"]));
        Assert.NotEqual("", Assert.Single(Rows(Ok(await RunAsync("keys", "list", "--account", "321"))))["revokedAt"]);
        using (var client = _server.NewClient(newKey["key"]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/accounts/321")).StatusCode);
        }
    }

    [Fact]
    public async Task A_replay_of_a_destination_queues_its_deliveries_and_one_delivery_replays_alone()
    {
        (await _server.PutAccountAsync(331)).EnsureSuccessStatusCode();
        var id = Json(Ok(await RunAsync("destinations", "create", "--account", "331", "--kind", "webhook", "--target", _receiver.Url, "--json")))
            .GetProperty("id").GetString()!;
        const int Chats = 3;
        for (var chat = 1; chat <= Chats; chat++)
        {
            (await _server.PostJsonAsync("/v1/events", SeedEvents.All(331, chat, $"replay{chat}"))).EnsureSuccessStatusCode();
        }
        var delivered = await _server.WaitForDeliveriesAsync(331, id, items => items.Length == Chats && items.All(i => i.GetProperty("status").GetString() == "succeeded"));

        var replay = Ok(await RunAsync("replay", "--account", "331", "--destination", id, "--since", "1h", "--status", "succeeded"));
        Assert.Equal($"Queued {Chats} deliveries of destination {id} again.", replay.Output.Trim());
        var none = Json(Ok(await RunAsync("replay", "--account", "331", "--destination", id, "--status", "failed", "--json")));
        Assert.Equal(0, none.GetProperty("replayed").GetInt32());

        await _server.WaitForDeliveriesAsync(331, id, items => items.All(i => i.GetProperty("status").GetString() == "succeeded"));
        var one = delivered[0].GetProperty("id").GetString()!;
        var single = Fields(Ok(await RunAsync("replay", "--delivery", one)));
        Assert.Equal(one, single["id"]);

        var usage = await RunAsync("replay", "--delivery", one, "--account", "331");
        Assert.Equal(2, usage.ExitCode);
        var unknown = await RunAsync("replay", "--delivery", "dlv_nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("404", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_resource_command_and_option_has_help()
    {
        var root = Chatport.Cli.ChatportCommandLine.Build();
        foreach (var name in new[] { "accounts", "destinations", "sources", "keys", "replay" })
        {
            var command = root.Subcommands.Single(c => c.Name == name);
            foreach (var each in command.Subcommands.Prepend(command))
            {
                Assert.False(string.IsNullOrWhiteSpace(each.Description), $"{each.Name} has no description");
                Assert.All(each.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{each.Name} {o.Name} has no description"));
                Assert.All(each.Arguments, a => Assert.False(string.IsNullOrWhiteSpace(a.Description), $"{each.Name} {a.Name} has no description"));
            }
        }
        var help = Ok(await ChatportCli.RunAsync("destinations", "create", "--help"));
        Assert.Contains("--target", help.Output, StringComparison.Ordinal);
        Assert.Contains("--field", help.Output, StringComparison.Ordinal);
    }
}
