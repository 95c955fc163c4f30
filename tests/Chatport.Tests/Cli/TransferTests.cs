using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Delivery.Destinations.File;

namespace Chatport.Tests.Cli;

/// <summary>
/// <c>chatport import</c> and <c>chatport export</c>, the real executable against a real server: every input shape
/// imports, a malformed file is reported where it is wrong and none of it is stored, an interrupted import resumes
/// with only the rest, and an export is the stored bodies (JSONL) or the file destination's own CSV.
/// </summary>
public sealed class TransferTests : IAsyncLifetime
{
    private ChatportServer _server = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatport-transfer-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await ChatportServer.StartAsync();
        (await _server.PutAccountAsync(208)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    private Task<ChatportCli.Run> CliAsync(string command, string[] more, byte[]? input = null) =>
        ChatportCli.RunAsync([command, "--url", Url, "--key", ChatportServer.AdminKey, .. more], input);

    /// <summary>The seed sample as account <paramref name="accountId"/>'s chat <paramref name="chatId"/>, on one line.</summary>
    private static string Conversation(long chatId, long accountId = 208, long endAt = 1427470476687)
    {
        var node = JsonNode.Parse(SeedEvents.CompactSample())!;
        node["accountId"] = accountId;
        node["endAt"] = endAt;
        node["channel"]!["id"] = chatId;
        return SeedEvents.Compact(node.ToJsonString());
    }

    private static string Array(params long[] chatIds) => "[" + string.Join(",", chatIds.Select(id => Conversation(id))) + "]";

    private static string Ndjson(params long[] chatIds) => string.Join("\n", chatIds.Select(id => Conversation(id))) + "\n";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<bool> StoredAsync(long chatId, long accountId = 208)
    {
        var response = await _server.Client.GetAsync($"/v1/accounts/{accountId}/conversations/{chatId}");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, response.StatusCode.ToString());
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static void AssertPlain(ChatportCli.Run run)
    {
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.DoesNotContain('\u001b', run.Error);
    }

    private static JsonElement Summary(ChatportCli.Run run) => JsonDocument.Parse(run.Output).RootElement;

    [Fact]
    public async Task An_array_file_imports_in_batches_and_again_is_all_unchanged()
    {
        var file = Write("chats.json", Array(1001, 1002, 1003, 1004, 1005));

        var run = await CliAsync("import", [file, "--batch", "2", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertPlain(run);
        var summary = Summary(run);
        Assert.Equal(5, summary.GetProperty("sent").GetInt32());
        Assert.Equal(3, summary.GetProperty("requests").GetInt32());
        Assert.Equal(5, summary.GetProperty("stored").GetInt32());
        for (var id = 1001; id <= 1005; id++)
        {
            Assert.True(await StoredAsync(id));
        }
        Assert.False(File.Exists(Path.Combine(_dir, ".chatport-import.state")), "a complete import leaves no state");
        // Stored as sent, byte for byte.
        Assert.Equal(Conversation(1003), await _server.Client.GetStringAsync("/v1/accounts/208/conversations/1003"));

        var again = await CliAsync("import", [file]);
        Assert.True(again.ExitCode == 0, again.ToString());
        AssertPlain(again);
        Assert.Contains("5 conversation(s) sent", again.Output);
        Assert.Contains("0 stored, 5 unchanged, 0 refused", again.Output);
    }

    [Fact]
    public async Task An_ndjson_file_a_folder_and_stdin_import()
    {
        var ndjson = Write("one/chats.ndjson", Ndjson(2001, 2002, 2003));
        var run = await CliAsync("import", [ndjson, "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, Summary(run).GetProperty("stored").GetInt32());

        Write("folder/a.json", Array(2101, 2102));
        Write("folder/b.ndjson", Ndjson(2103));
        Write("folder/c.json", Conversation(2104));
        Write("folder/notes.txt", "not an input");
        var folder = await CliAsync("import", [Path.Combine(_dir, "folder"), "--json"]);
        Assert.True(folder.ExitCode == 0, folder.ToString());
        Assert.Equal(3, Summary(folder).GetProperty("files").GetInt32());
        Assert.Equal(4, Summary(folder).GetProperty("stored").GetInt32());

        var stdin = await CliAsync("import", ["-"], Encoding.UTF8.GetBytes(Ndjson(2201, 2202)));
        Assert.True(stdin.ExitCode == 0, stdin.ToString());
        AssertPlain(stdin);
        Assert.Contains("2 stored", stdin.Output);

        foreach (var id in new long[] { 2001, 2002, 2003, 2101, 2102, 2103, 2104, 2201, 2202 })
        {
            Assert.True(await StoredAsync(id), $"chat {id}");
        }
    }

    [Fact]
    public async Task A_malformed_file_is_named_with_its_place_and_none_of_it_is_stored_while_a_good_file_beside_it_is()
    {
        Write("mixed/a-good.json", Array(3001, 3002));
        // Item 3 of 5 is cut short: the file is not JSON from there.
        var items = new[] { 3101L, 3102, 3103, 3104, 3105 }.Select(id => Conversation(id)).ToArray();
        items[2] = items[2][..40];
        Write("mixed/b-broken.json", "[\n" + string.Join(",\n", items) + "\n]");
        // Line 2 has no channel.
        var noChannel = JsonNode.Parse(Conversation(3202))!.AsObject();
        noChannel.Remove("channel");
        Write("mixed/c-no-channel.ndjson", Conversation(3201) + "\n" + noChannel.ToJsonString() + "\n" + Conversation(3203) + "\n");

        var run = await CliAsync("import", [Path.Combine(_dir, "mixed")]);

        Assert.True(run.ExitCode == 1, run.ToString());
        AssertPlain(run);
        Assert.Contains("b-broken.json: item 3 ($[2], line 4): It is not valid JSON", run.Error);
        Assert.Contains("c-no-channel.ndjson: line 2 (item 2)", run.Error);
        Assert.Contains("channel", run.Error.Split('\n').Single(l => l.Contains("c-no-channel.ndjson: line 2", StringComparison.Ordinal)));
        Assert.Contains("b-broken.json: not imported; nothing of it was sent.", run.Error);
        Assert.Contains("2 file(s) not sent", run.Output);
        Assert.True(await StoredAsync(3001));
        Assert.True(await StoredAsync(3002));
        foreach (var id in new long[] { 3101, 3102, 3103, 3104, 3105, 3201, 3202, 3203 })
        {
            Assert.False(await StoredAsync(id), $"chat {id} of a malformed file was stored");
        }
    }

    [Fact]
    public async Task Items_the_server_refuses_are_named_by_file_and_item()
    {
        var file = Write("unknown/chats.ndjson", Conversation(4001) + "\n" + Conversation(4002, accountId: 999) + "\n");

        var run = await CliAsync("import", [file]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("chats.ndjson: item 2 (line 2) at $.accountId: refused by the server: Account 999 does not exist", run.Error);
        Assert.Contains("2 refused", run.Output);
    }

    [Fact]
    public async Task An_interrupted_import_resumes_with_only_the_rest_and_an_existing_state_needs_resume()
    {
        var file = Write("resume/chats.json", Array(5001, 5002, 5003, 5004, 5005));
        var state = Path.Combine(_dir, "resume", ".chatport-import.state");
        // As an import stopped after acknowledging three would have left it.
        File.WriteAllText(state, """{"version":1,"files":{"chats.json":{"acknowledged":3}}}""");

        var refused = await CliAsync("import", [file]);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("--resume", refused.Error);
        Assert.Contains(".chatport-import.state exists", refused.Error);
        Assert.False(await StoredAsync(5001));

        var run = await CliAsync("import", [file, "--resume", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = Summary(run);
        Assert.Equal(2, summary.GetProperty("sent").GetInt32());
        Assert.Equal(3, summary.GetProperty("skipped").GetInt32());
        Assert.False(await StoredAsync(5001));
        Assert.False(await StoredAsync(5003));
        Assert.True(await StoredAsync(5004));
        Assert.True(await StoredAsync(5005));
        Assert.False(File.Exists(state));
    }

    [Fact]
    public async Task A_refused_file_leaves_the_state_of_what_was_done_for_resume()
    {
        var state = Path.Combine(_dir, "custom.state");
        Write("partial/a.json", Array(6001));
        Write("partial/b.json", "[" + Conversation(6002) + ",{]");

        var run = await CliAsync("import", [Path.Combine(_dir, "partial"), "--state", state]);

        Assert.True(run.ExitCode == 1, run.ToString());
        using (var document = JsonDocument.Parse(File.ReadAllText(state)))
        {
            var files = document.RootElement.GetProperty("files");
            Assert.Equal(1, files.GetProperty("partial/a.json").GetProperty("acknowledged").GetInt32());
            Assert.False(files.TryGetProperty("partial/b.json", out _));
        }

        Write("partial/b.json", Array(6002));
        var fixedRun = await CliAsync("import", [Path.Combine(_dir, "partial"), "--state", state, "--resume", "--json"]);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Equal(1, Summary(fixedRun).GetProperty("sent").GetInt32());
        Assert.Equal(1, Summary(fixedRun).GetProperty("skipped").GetInt32());
        Assert.True(await StoredAsync(6002));
    }

    private async Task<List<(JsonElement Item, string Body)>> StoredListAsync(long accountId)
    {
        var list = await (await _server.Client.GetAsync($"/v1/accounts/{accountId}/conversations?limit=500")).ReadJsonAsync(HttpStatusCode.OK);
        var stored = new List<(JsonElement, string)>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            stored.Add((item.Clone(), await _server.Client.GetStringAsync(item.GetProperty("url").GetString())));
        }
        return stored;
    }

    private async Task ImportThroughApiAsync(long accountId, int count, long firstChatId)
    {
        (await _server.PutAccountAsync(accountId)).EnsureSuccessStatusCode();
        var body = "[" + string.Join(",", Enumerable.Range(0, count).Select(i => Conversation(firstChatId + i, accountId, 1427470476687 + i * 1000L))) + "]";
        (await _server.PostJsonAsync("/v1/conversations", body)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_jsonl_export_is_the_stored_bodies_and_an_existing_out_needs_force()
    {
        await ImportThroughApiAsync(310, 7, 7001);
        var output = Path.Combine(_dir, "out.jsonl");

        var run = await CliAsync("export", ["--account", "310", "--format", "jsonl", "--out", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertPlain(run);
        Assert.Contains("Exported 7 conversation(s) of account 310", run.Output);
        var expected = string.Concat((await StoredListAsync(310)).Select(s => s.Body + "\n"));
        Assert.Equal(expected, await File.ReadAllTextAsync(output));

        var again = await CliAsync("export", ["--account", "310", "--format", "jsonl", "--out", output]);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("--force", again.Error);

        var completed = await CliAsync("export", ["--account", "310", "--format", "jsonl", "--out", output, "--force", "--kind", "missed"]);
        Assert.True(completed.ExitCode == 0, completed.ToString());
        Assert.Equal("", await File.ReadAllTextAsync(output));
        Assert.Empty(Directory.EnumerateFiles(_dir, "*.tmp"));

        var unknown = await CliAsync("export", ["--account", "999", "--format", "jsonl", "--out", Path.Combine(_dir, "none.jsonl")]);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("There is no account 999", unknown.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "none.jsonl")));
    }

    [Fact]
    public async Task A_csv_export_is_the_file_destinations_csv()
    {
        await ImportThroughApiAsync(311, 4, 8001);
        var output = Path.Combine(_dir, "out.csv");

        var run = await CliAsync("export", ["--account", "311", "--format", "csv", "--out", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertPlain(run);
        var expected = new MemoryStream();
        var first = true;
        foreach (var (item, body) in await StoredListAsync(311))
        {
            var conversation = ConversationNormalizer.Normalize(ContractJson.Parse(Encoding.UTF8.GetBytes(body)));
            expected.Write(CsvRecord.Row(conversation, 311, item.GetProperty("chatId").GetInt64(), item.GetProperty("version").GetInt32(),
                [.. item.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!)], TimeZoneInfo.Utc, withHeader: first));
            first = false;
        }
        Assert.Equal(expected.ToArray(), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task A_csv_export_equals_what_a_file_destination_wrote_for_the_same_conversation()
    {
        (await _server.Client.PutAsync("/v1/accounts/312", new StringContent(
            """{"name":"Prague","plan":"pro","timeZone":"Europe/Prague"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var destination = await (await _server.PostJsonAsync("/v1/accounts/312/destinations",
            """{"kind":"file","name":"spreadsheet","format":"csv","path":"exports/312.csv"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var destinationId = destination.GetProperty("id").GetString()!;
        (await _server.PostJsonAsync("/v1/conversations", Conversation(9001, 312))).EnsureSuccessStatusCode();
        await _server.WaitForDeliveriesAsync(312, destinationId, items => items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded");
        var output = Path.Combine(_dir, "312.csv");

        var run = await CliAsync("export", ["--account", "312", "--format", "csv", "--out", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var written = await File.ReadAllBytesAsync(Path.Combine(_server.DataDir, "exports", "312.csv"));
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(await File.ReadAllBytesAsync(output)));
        Assert.Contains("+01:00", Encoding.UTF8.GetString(written));
    }
}
