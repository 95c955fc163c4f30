using System.Net;
using System.Text.Json;
using Chatport.Tests.Cluster;
using Microsoft.Data.Sqlite;

namespace Chatport.Tests.Hosting;

/// <summary>
/// The data dir holds secrets, hook tokens and every conversation: under the usual umask (022, which lets everyone
/// read what is created), what Chatport makes there — the folder, <c>chatport.db</c> and SQLite's <c>-wal</c> and
/// <c>-shm</c>, the admin key, what the file and sql kinds write — is its user's alone. Real files, real modes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and /proc: Linux
public sealed class DataDirPermissionsTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"), "data");

    /// <summary>The tests mean something only where the process would otherwise make files others can read.</summary>
    private static void AssertUsualUmask()
    {
        var line = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        var umask = Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
        Assert.True((umask & 0b000_100_100) == 0, $"The test process's umask ({line}) already hides files from others; run it under 022.");
    }

    private static void AssertMode(UnixFileMode expected, string path) =>
        Assert.True(File.GetUnixFileMode(path) == expected,
            $"{path} is {Convert.ToString((int)File.GetUnixFileMode(path), 8)}, not {Convert.ToString((int)expected, 8)}.");

    [Fact]
    public async Task A_new_data_dir_is_0700_and_the_database_its_wal_and_shm_the_admin_key_and_the_exports_are_0600()
    {
        AssertUsualUmask();
        var dataDir = NewDataDir();
        using var logs = new Logging.LogCapture();
        await using var server = await ChatportServer.StartAsync(adminKey: null, dataDir: dataDir, configure: logs.AddTo);
        using var admin = server.NewClient(File.ReadAllText(Path.Combine(dataDir, "admin.key")).Trim());
        await (await admin.PutAsync("/v1/accounts/208", new StringContent("""{"name":"Account 208","plan":"pro","inactivityTimeoutSeconds":1800}""", System.Text.Encoding.UTF8, "application/json")))
            .ReadJsonAsync(HttpStatusCode.Created);
        var file = await Created(admin, """{"kind":"file","format":"jsonl","path":"exports/chats.jsonl"}""");
        var sql = await Created(admin, """{"kind":"sql","provider":"sqlite","connectionString":"Data Source=warehouse/chats.db"}""");
        await (await admin.PostAsync("/v1/conversations", new StringContent(SeedEvents.CompactSample(), System.Text.Encoding.UTF8, "application/json")))
            .ReadJsonAsync(HttpStatusCode.OK);
        await Delivered(admin, file);
        await Delivered(admin, sql);

        AssertMode(PrivateFolder, dataDir);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("other users can list it", StringComparison.Ordinal));
        foreach (var name in (string[])["chatport.db", "chatport.db-wal", "chatport.db-shm", "admin.key"])
        {
            AssertMode(Private, Path.Combine(dataDir, name));
        }
        AssertMode(PrivateFolder, Path.Combine(dataDir, "exports"));
        AssertMode(Private, Path.Combine(dataDir, "exports", "chats.jsonl"));
        AssertMode(PrivateFolder, Path.Combine(dataDir, "warehouse"));
        foreach (var path in Directory.GetFiles(Path.Combine(dataDir, "warehouse")))
        {
            AssertMode(Private, path); // chats.db, and its -wal or -journal while they are there
        }
    }

    [Fact]
    public async Task A_database_an_older_build_left_readable_by_all_is_made_0600_at_start_its_wal_and_shm_follow_and_an_open_data_dir_is_warned_of()
    {
        AssertUsualUmask();
        var dataDir = NewDataDir();
        Directory.CreateDirectory(dataDir); // 0755: the operator's folder keeps its mode
        var db = Path.Combine(dataDir, "chatport.db");
        await using (var old = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await old.OpenAsync();
        }
        File.SetUnixFileMode(db, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var logs = new Logging.LogCapture();
        await using var server = await ChatportServer.StartAsync(dataDir: dataDir, configure: logs.AddTo);
        await server.PutAccountAsync(208);

        AssertMode(Private, db);
        AssertMode(Private, db + "-wal");
        AssertMode(Private, db + "-shm");
        Assert.Equal(PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(dataDir));
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message == $"The data dir {Path.GetFullPath(dataDir)} is mode 755: other users can list it. Chatport's files in it are readable by this user only; to hide their names too, chmod 700 it.");
    }

    [Fact]
    public async Task The_real_process_runs_with_umask_077_and_makes_its_data_dir_and_database_owner_only()
    {
        AssertUsualUmask();
        var dataDir = NewDataDir();
        await using var node = await NodeProcess.StartSqliteAsync(dataDir);

        var umask = File.ReadAllLines($"/proc/{node.Pid}/status").Single(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        Assert.Equal("0077", umask["Umask:".Length..].Trim());
        AssertMode(PrivateFolder, dataDir);
        AssertMode(Private, Path.Combine(dataDir, "chatport.db"));
        AssertMode(Private, Path.Combine(dataDir, "chatport.db-wal"));
    }

    private static async Task<string> Created(HttpClient admin, string json) =>
        (await (await admin.PostAsync("/v1/accounts/208/destinations", new StringContent(json, System.Text.Encoding.UTF8, "application/json")))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task Delivered(HttpClient admin, string destinationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await (await admin.GetAsync($"/v1/accounts/208/deliveries?destination={destinationId}")).ReadJsonAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().ToArray();
            if (items.Length == 1 && items[0].GetProperty("status").GetString() == "succeeded")
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery never succeeded: {string.Join(", ", items.Select(i => i.ToString()))}");
            await Task.Delay(20);
        }
    }
}
