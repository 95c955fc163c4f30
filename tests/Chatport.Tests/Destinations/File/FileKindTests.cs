using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Delivery.Destinations.File;
using Chatport.Transcripts;
using CsvHelper;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Destinations.Files;

/// <summary>
/// The <c>file</c> kind end to end: destinations made through the API on a real server, conversations imported, and
/// the files it writes read back from the disk — the JSONL line by line against what a webhook receiver gets, the
/// CSV with the CSV library's reader.
/// </summary>
public sealed class FileKindTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ChatportServer _server = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatportServer.StartAsync(time: _time, settings: "--Chatport:Delivery:AllowPrivateTargets=true");
        _receiver = await Receiver.StartAsync();
        await _server.PutAccountAsync(208);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private string OnDisk(string relative) => Path.Combine(_server.DataDir, relative);

    private async Task<JsonElement> CreateAsync(string json) =>
        await (await _server.PostJsonAsync("/v1/accounts/208/destinations", json)).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<JsonElement> RefusedAsync(string json) =>
        (await (await _server.PostJsonAsync("/v1/accounts/208/destinations", json)).ReadJsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");

    private async Task ImportAsync(string body) => await (await _server.PostJsonAsync("/v1/conversations", body)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>The seed sample as chat <paramref name="chatId"/>, with a visitor name that looks like a formula and a message of several lines.</summary>
    private static string Tricky(long chatId)
    {
        var node = JsonNode.Parse(SeedEvents.CompactSample())!;
        node["channel"]!["id"] = chatId;
        node["visitor"]!["name"] = "=HYPERLINK(\"http://evil.example\",\"click\")";
        node["visitor"]!["city"] = "Brno, \"South\"";
        node["messages"]![0]!["content"] = "Hello,\nI have \"two\" lines";
        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<(bool Done, T Value)>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var (done, value) = await probe();
            if (done)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}: {value}");
            await Task.Delay(20);
        }
    }

    private Task<byte[][]> LinesAsync(string relative, int count) => EventuallyAsync(async () =>
    {
        var bytes = System.IO.File.Exists(OnDisk(relative)) ? await System.IO.File.ReadAllBytesAsync(OnDisk(relative)) : [];
        var lines = Split(bytes);
        return (lines.Length >= count, lines);
    }, $"{count} line(s) in {relative}");

    private static byte[][] Split(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 1;
            }
        }
        Assert.Equal(bytes.Length, start); // every line ends with \n
        return [.. lines];
    }

    private Task<JsonElement> DeliveryAsync(string destinationId, Func<JsonElement, bool> done) => EventuallyAsync(async () =>
    {
        var items = (await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries?destination={destinationId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        return (items.GetArrayLength() > 0 && done(items[0]), items.GetArrayLength() > 0 ? items[0] : items);
    }, "the delivery log");

    [Fact]
    public async Task JSONL_lines_are_the_webhook_bodies_and_CSV_rows_read_back_with_quoting_transcripts_and_formulas_neutralized()
    {
        var jsonl = await CreateAsync("""{"kind":"file","name":"Archive","format":"jsonl","path":"exports/chats.jsonl"}""");
        Assert.Equal(
            ["id", "accountId", "kind", "name", "format", "path", "kinds", "enabled", "disabledReason", "timeoutSeconds", "retrySchedule",
             "redact", "redactVisitor", "rotate", "maxBytes", "createdAt", "updatedAt", "lastSuccessAt", "failingSince", "lastError"],
            jsonl.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("file", "jsonl", "exports/chats.jsonl"), (jsonl.GetProperty("kind").GetString(), jsonl.GetProperty("format").GetString(), jsonl.GetProperty("path").GetString()));
        await CreateAsync("""{"kind":"file","format":"csv","path":"exports/chats.csv"}""");
        await CreateAsync($$"""{"kind":"webhook","url":"{{_receiver.Url}}"}""");

        var pretty = (await System.IO.File.ReadAllTextAsync(SeedEvents.SamplePath)).Replace("\"id\": 55039", "\"id\": 55041", StringComparison.Ordinal);
        await ImportAsync(SeedEvents.CompactSample());
        await ImportAsync(Tricky(55040));
        await ImportAsync(pretty);

        var received = await _receiver.WaitForAsync(3);
        var lines = await LinesAsync("exports/chats.jsonl", 3);
        Assert.Equal(3, lines.Length);
        static long ChatId(byte[] json) => JsonDocument.Parse(json).RootElement.GetProperty("channel").GetProperty("id").GetInt64();
        var bodies = received.ToDictionary(r => ChatId(r.Body), r => r.Body);
        foreach (var line in lines)
        {
            var id = ChatId(line);
            if (id == 55041)
            {
                // A pretty-printed import is written on one line: the same JSON, only its whitespace taken out.
                Assert.Equal(SeedEvents.Compact(pretty), Encoding.UTF8.GetString(line));
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(bodies[id]), JsonNode.Parse(line)));
            }
            else
            {
                Assert.Equal(bodies[id], line); // byte for byte what the webhook receiver got
            }
        }

        var csvBytes = await EventuallyAsync(async () =>
        {
            var bytes = System.IO.File.Exists(OnDisk("exports/chats.csv")) ? await System.IO.File.ReadAllBytesAsync(OnDisk("exports/chats.csv")) : [];
            using var counted = CsvReader.Create(bytes, CsvReaderOptions.Default with { Separator = ',' });
            var rows = 0;
            while (counted.Read())
            {
                rows++;
            }
            return (rows >= 3, bytes);
        }, "3 CSV rows");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), csvBytes[..3]);
        Assert.Equal(1, Encoding.UTF8.GetString(csvBytes).Split("accountId,chatId").Length - 1); // one header row
        using var reader = CsvReader.Create(csvBytes, CsvReaderOptions.Default with { Separator = ',' });
        var rowsByChat = new Dictionary<long, Dictionary<string, string>>();
        while (reader.Read())
        {
            var row = CsvRecord.Columns.ToDictionary(c => c, c => reader.GetString(c));
            rowsByChat[long.Parse(row["chatId"], System.Globalization.CultureInfo.InvariantCulture)] = row;
        }
        Assert.Equal(CsvRecord.Columns, reader.Headers);
        Assert.Equal([55039L, 55040L, 55041L], rowsByChat.Keys.Order());

        var seed = rowsByChat[55039];
        Assert.Equal(("208", "1", "completed", "2015-03-27T15:33:59.703+00:00", "2015-03-27T15:34:36.687+00:00", "true", "36", "5", ""),
            (seed["accountId"], seed["version"], seed["kinds"], seed["beginAt"], seed["endAt"], seed["isCompleted"], seed["duration"], seed["rating"], seed["ratingDesc"]));
        Assert.Equal(("27671", "Dusan Kmet", "dusan@domain.com", "Czech Republic", "Brno", "89.235.0.55"),
            (seed["visitorId"], seed["visitorName"], seed["visitorEmail"], seed["visitorCity"], seed["visitorCountry"], seed["visitorIpAddress"]));
        Assert.Equal("http://developers.smartsupp.com/smartsupp/hook-post\nhttp://developers.smartsupp.com", seed["pages"]);
        Assert.Equal(TranscriptRenderer.RenderText(ContractJson.Parse(Encoding.UTF8.GetBytes(SeedEvents.CompactSample())), TimeZoneInfo.Utc), seed["transcript"]);

        var tricky = rowsByChat[55040];
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", tricky["visitorName"]); // neutralized, quotes intact
        Assert.Equal("Brno, \"South\"", tricky["visitorCity"]);
        Assert.Contains("Dusan Kmet (visitor): ", tricky["transcript"], StringComparison.Ordinal);
        Assert.Contains("  =HYPERLINK(\"http://evil.example\",\"click\") (visitor): Hello,\n    I have \"two\" lines\n", tricky["transcript"], StringComparison.Ordinal);
        Assert.Equal(TranscriptRenderer.RenderText(ContractJson.Parse(Encoding.UTF8.GetBytes(Tricky(55040))), TimeZoneInfo.Utc), tricky["transcript"]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", Encoding.UTF8.GetString(csvBytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x.jsonl", "goes up out of it")]
    [InlineData("exports/../../x.jsonl", "goes up out of it")]
    [InlineData("/etc/x.jsonl", "not the absolute path")]
    [InlineData("exports/", "must name a file")]
    public async Task A_path_out_of_the_data_directory_is_refused_in_plain_words(string path, string expected)
    {
        var errors = await RefusedAsync($$"""{"kind":"file","format":"jsonl","path":"{{path}}"}""");

        Assert.Contains(expected, Assert.Single(errors.EnumerateObject()).Value[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("path", errors.EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task A_symbolic_link_that_leads_out_is_refused_on_create_on_patch_and_at_send()
    {
        var outside = Path.Combine(Path.GetTempPath(), "chatport-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(OnDisk("inside"));
        Directory.CreateSymbolicLink(OnDisk("out"), outside);
        System.IO.File.CreateSymbolicLink(OnDisk("inside/file.jsonl"), Path.Combine(outside, "file.jsonl"));
        Directory.CreateSymbolicLink(OnDisk("ok"), OnDisk("inside")); // a link that stays inside is fine

        var viaFolder = await RefusedAsync("""{"kind":"file","format":"jsonl","path":"out/x.jsonl"}""");
        Assert.Equal("path must stay inside the data directory; \"out/x.jsonl\" leads out of it through a symbolic link.", viaFolder.GetProperty("path")[0].GetString());
        var viaFile = await RefusedAsync("""{"kind":"file","format":"jsonl","path":"inside/file.jsonl"}""");
        Assert.Contains("through a symbolic link", viaFile.GetProperty("path")[0].GetString(), StringComparison.Ordinal);
        var id = (await CreateAsync("""{"kind":"file","format":"jsonl","path":"ok/fine.jsonl","retrySchedule":["0"]}""")).GetProperty("id").GetString()!;
        var patched = await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"path":"out/x.jsonl"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("through a symbolic link", patched.GetProperty("errors").GetProperty("path")[0].GetString(), StringComparison.Ordinal);

        // A link made on disk after the destination was saved is refused at send.
        Directory.Delete(OnDisk("ok"));
        Directory.CreateSymbolicLink(OnDisk("ok"), outside);
        await ImportAsync(SeedEvents.CompactSample());

        var delivery = await DeliveryAsync(id, d => d.GetProperty("status").GetString() == "failed");
        Assert.Contains("leads out of it through a symbolic link", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(outside));
    }

    [Theory]
    [InlineData("jsonl", "{\"complete\":1}\n", "{\"torn\":")]
    [InlineData("csv", "\uFEFFaccountId,chatId\r\n1,\"two\nlines\"\r\n", "2,\"torn\nhalf")]
    public async Task A_torn_tail_left_by_a_crash_is_cut_off_before_the_next_record(string format, string whole, string torn)
    {
        Directory.CreateDirectory(OnDisk("torn"));
        await System.IO.File.WriteAllTextAsync(OnDisk($"torn/chats.{format}"), whole + torn, new UTF8Encoding(false));
        await CreateAsync($$"""{"kind":"file","format":"{{format}}","path":"torn/chats.{{format}}"}""");

        await ImportAsync(SeedEvents.CompactSample());

        var text = await EventuallyAsync(async () =>
        {
            var content = Encoding.UTF8.GetString(await System.IO.File.ReadAllBytesAsync(OnDisk($"torn/chats.{format}"))); // keeps the BOM
            return (content.Contains("55039", StringComparison.Ordinal), content);
        }, "the appended record");
        Assert.StartsWith(whole, text, StringComparison.Ordinal);
        Assert.DoesNotContain("torn", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        if (format == "jsonl")
        {
            Assert.Equal(whole + SeedEvents.CompactSample() + "\n", text);
        }
    }

    [Fact]
    public async Task CSV_times_and_the_transcript_are_in_the_accounts_time_zone()
    {
        await (await _server.Client.PutAsync("/v1/accounts/209", new StringContent(
            """{"name":"Prague","plan":"pro","timeZone":"Europe/Prague"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.Created);
        await (await _server.PostJsonAsync("/v1/accounts/209/destinations", """{"kind":"file","format":"csv","path":"prague.csv"}""")).ReadJsonAsync(HttpStatusCode.Created);

        await ImportAsync(SeedEvents.CompactSample().Replace("\"accountId\":208", "\"accountId\":209", StringComparison.Ordinal));

        var row = await EventuallyAsync(async () =>
        {
            var bytes = System.IO.File.Exists(OnDisk("prague.csv")) ? await System.IO.File.ReadAllBytesAsync(OnDisk("prague.csv")) : [];
            using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { Separator = ',' });
            return reader.Read() ? (true, CsvRecord.Columns.ToDictionary(c => c, c => reader.GetString(c))) : (false, new Dictionary<string, string>());
        }, "a CSV row");
        Assert.Equal(("2015-03-27T16:33:59.703+01:00", "2015-03-27T16:34:36.687+01:00"), (row["beginAt"], row["endAt"])); // CET, two days before summer time
        Assert.Contains("2015-03-27 16:33:59", row["transcript"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_cannot_be_a_file_fails_in_the_log_and_after_a_fix_and_a_replay_is_delivered()
    {
        await System.IO.File.WriteAllTextAsync(OnDisk("blocker"), "a regular file, not a folder");
        var id = (await CreateAsync("""{"kind":"file","format":"jsonl","path":"blocker/chats.jsonl","retrySchedule":["0"]}""")).GetProperty("id").GetString()!;

        await ImportAsync(SeedEvents.CompactSample());

        var failed = await DeliveryAsync(id, d => d.GetProperty("status").GetString() == "failed");
        var error = failed.GetProperty("lastError").GetString()!;
        Assert.StartsWith("The file could not be written: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.DataDir, error, StringComparison.Ordinal);
        var deliveryId = failed.GetProperty("id").GetString()!;
        var log = (await (await _server.Client.GetAsync($"/v1/deliveries/{deliveryId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("attemptLog");
        Assert.Equal(2, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), a => Assert.Equal("blocker/chats.jsonl", a.GetProperty("response").GetString()));

        await (await _server.Client.PatchAsync($"/v1/accounts/208/destinations/{id}",
            new StringContent("""{"path":"fixed/chats.jsonl"}""", Encoding.UTF8, "application/json"))).ReadJsonAsync(HttpStatusCode.OK);
        await (await _server.Client.PostAsync($"/v1/deliveries/{deliveryId}/replay", null)).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(SeedEvents.CompactSample(), Encoding.UTF8.GetString(Assert.Single(await LinesAsync("fixed/chats.jsonl", 1))));
        var delivered = await DeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(3, delivered.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_full_disk_is_a_failed_attempt_in_the_log_and_once_there_is_room_a_replay_appends_whole_lines()
    {
        // A real full disk: a 64 KiB tmpfs mounted inside the data dir (root, as ./test.sh runs), filled but for one
        // page, so the first record fits and the next is cut off halfway by "no space left".
        Assert.True(Environment.UserName == "root", "This test mounts a small tmpfs to fill a disk; run it as root (./test.sh does on CI).");
        var mount = OnDisk("small");
        Directory.CreateDirectory(mount);
        await Commands.RunAsync("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount);
        try
        {
            var filler = Path.Combine(mount, "filler");
            await using (var fill = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                try
                {
                    while (true)
                    {
                        fill.Write(new byte[4096]);
                    }
                }
                catch (IOException)
                {
                }
                fill.SetLength(fill.Length / 4096 * 4096 - 4096);
            }
            var id = (await CreateAsync("""{"kind":"file","format":"jsonl","path":"small/chats.jsonl","retrySchedule":["0"]}""")).GetProperty("id").GetString()!;
            string Chat(long chatId) => SeedEvents.CompactSample().Replace("\"channel\":{\"id\":55039", $"\"channel\":{{\"id\":{chatId}", StringComparison.Ordinal);

            await ImportAsync("[" + string.Join(",", Enumerable.Range(1, 4).Select(i => Chat(i))) + "]");

            var items = await EventuallyAsync(async () =>
            {
                var list = (await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries?destination={id}")).ReadJsonAsync(HttpStatusCode.OK))
                    .GetProperty("items").EnumerateArray().ToArray();
                return (list.Length == 4 && list.All(d => d.GetProperty("status").GetString() is "succeeded" or "failed")
                    && list.Any(d => d.GetProperty("status").GetString() == "failed"), list);
            }, "every delivery settled, some failed");
            Assert.All(items.Where(d => d.GetProperty("status").GetString() == "failed"), d =>
            {
                var error = d.GetProperty("lastError").GetString()!;
                Assert.StartsWith("The file could not be written: ", error, StringComparison.Ordinal);
                Assert.Contains("space", error, StringComparison.OrdinalIgnoreCase);
            });
            var before = System.IO.File.Exists(OnDisk("small/chats.jsonl")) ? await System.IO.File.ReadAllBytesAsync(OnDisk("small/chats.jsonl")) : [];
            Assert.All(Split(before), line => JsonDocument.Parse(line).Dispose()); // only whole lines: nothing torn left behind

            System.IO.File.Delete(filler);
            await (await _server.PostJsonAsync($"/v1/accounts/208/destinations/{id}/replay", """{"status":"failed"}""")).ReadJsonAsync(HttpStatusCode.OK);

            var lines = await LinesAsync("small/chats.jsonl", 4);
            Assert.Equal(Enumerable.Range(1, 4).Select(i => Chat(i)).Order(StringComparer.Ordinal),
                lines.Select(l => Encoding.UTF8.GetString(l)).Order(StringComparer.Ordinal));
            await EventuallyAsync(async () =>
            {
                var list = (await (await _server.Client.GetAsync($"/v1/accounts/208/deliveries?destination={id}")).ReadJsonAsync(HttpStatusCode.OK))
                    .GetProperty("items").EnumerateArray().Select(d => d.GetProperty("status").GetString()).ToArray();
                return (list.Length == 4 && list.All(status => status == "succeeded"), string.Join(", ", list));
            }, "every delivery succeeded after the replay");
        }
        finally
        {
            await Commands.RunAsync("umount", "-l", mount);
        }
    }

    [Fact]
    public async Task Daily_rotation_names_the_file_by_the_date_and_size_rotation_numbers_the_full_ones()
    {
        var daily = await CreateAsync("""{"kind":"file","format":"jsonl","path":"daily/chats.jsonl","rotate":"daily"}""");
        Assert.Equal(JsonValueKind.Null, daily.GetProperty("maxBytes").ValueKind);
        var sized = await CreateAsync("""{"kind":"file","format":"jsonl","path":"sized/chats.jsonl","rotate":"size","maxBytes":2048}""");
        Assert.Equal(("size", 2048), (sized.GetProperty("rotate").GetString(), sized.GetProperty("maxBytes").GetInt32()));
        Assert.Contains("at least 1024",
            (await RefusedAsync("""{"kind":"file","format":"jsonl","path":"x.jsonl","rotate":"size","maxBytes":5}""")).GetProperty("maxBytes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("rotate must be \"daily\" or \"size\", not \"hourly\".",
            (await RefusedAsync("""{"kind":"file","format":"jsonl","path":"x.jsonl","rotate":"hourly"}""")).GetProperty("rotate")[0].GetString());
        Assert.Equal("format must be \"jsonl\" or \"csv\", not \"xml\".",
            (await RefusedAsync("""{"kind":"file","format":"xml","path":"x.jsonl"}""")).GetProperty("format")[0].GetString());

        await ImportAsync(SeedEvents.CompactSample());
        Assert.Single(await LinesAsync("daily/chats-2026-12-01.jsonl", 1));
        await LinesAsync("sized/chats.jsonl", 1);
        await ImportAsync(Tricky(55040)); // two records pass 2048 bytes: the first file is set aside
        Assert.Single(await LinesAsync("sized/chats.jsonl", 1));
        Assert.Single(await LinesAsync("sized/chats-1.jsonl", 1));
        Assert.Equal(2, (await LinesAsync("daily/chats-2026-12-01.jsonl", 2)).Length);
    }
}
