using System.Net;
using Chatport.Tests.Cluster;
using Chatport.Tests.Faults;

namespace Chatport.Tests.Hosting;

/// <summary>
/// <c>chatport backup OUT</c>, the real command against a real <c>serve</c> taking imports meanwhile: the copy is
/// consistent, owner-only, and a node started on it serves every conversation acknowledged before the backup
/// began, byte for byte; an existing file is never overwritten; a PostgreSQL store is pointed to pg_dump.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class BackupTests
{
    private static async Task<(int ExitCode, string Output, string Error)> ChatportAsync(params string[] arguments)
    {
        var run = await Cli.ChatportCli.RunAsync(arguments);
        return (run.ExitCode, run.Output, run.Error);
    }

    [Fact]
    public async Task A_backup_of_a_live_store_restores_to_a_node_that_serves_every_conversation_acknowledged_before_it()
    {
        var dataDir = FaultSetup.NewDataDir();
        var restoredDir = FaultSetup.NewDataDir();
        var copy = Path.Combine(Path.GetTempPath(), "chatport-tests", $"backup-{Guid.NewGuid():N}.db");
        try
        {
            await using var node = await NodeProcess.StartSqliteAsync(dataDir);
            await FaultSetup.PutAccountAsync(node);
            await using var load = ImportLoad.Start([node], new ChatIds());
            await Bounded.UntilAsync(() => load.Acknowledged.Count >= 2000, DateTime.UtcNow.AddSeconds(30), () => $"Too few imports: {load}", CancellationToken.None);
            long[] before = [.. load.Acknowledged];

            var (code, output, error) = await ChatportAsync("backup", copy, $"--Chatport:DataDir={dataDir}", "--Logging:LogLevel:Default=Warning");
            var acknowledgedDuring = load.Acknowledged.Count - before.Length;
            await load.StopAsync();

            Assert.True(code == 0, $"backup exited {code}: {output}{error}");
            Assert.Contains("Backed up the store to", output, StringComparison.Ordinal);
            Assert.True(acknowledgedDuring > 0, "No import was acknowledged while the backup ran: it did not run beside a live writer.");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(copy));
            }

            // Restored: the copy as chatport.db of a new data dir; a node on it serves the same bytes.
            Directory.CreateDirectory(restoredDir);
            File.Copy(copy, Path.Combine(restoredDir, "chatport.db"));
            await using var restored = await ChatportServer.StartAsync(dataDir: restoredDir);
            foreach (var chat in before.Order().Where((_, i) => i % 97 == 0).Append(before.Max()))
            {
                var path = $"/v1/accounts/{SeedBodies.AccountId}/conversations/{chat}";
                var original = await node.Client.GetByteArrayAsync(path);
                var answer = await restored.Client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Equal(original, await answer.Content.ReadAsByteArrayAsync());
            }
            var list = await (await restored.Client.GetAsync($"/v1/accounts/{SeedBodies.AccountId}/conversations")).ReadJsonAsync(HttpStatusCode.OK);
            Assert.True(list.GetProperty("items").GetArrayLength() > 0);

            // Never over an existing file.
            var again = await ChatportAsync("backup", copy, $"--Chatport:DataDir={dataDir}", "--Logging:LogLevel:Default=Warning");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("exists already: name a new file", again.Error, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(copy);
            FaultSetup.DeleteDataDir(dataDir);
            FaultSetup.DeleteDataDir(restoredDir);
        }
    }

    [Fact]
    public async Task A_postgres_store_is_pointed_to_pg_dump()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var copy = Path.Combine(Path.GetTempPath(), "chatport-tests", $"backup-{Guid.NewGuid():N}.db");
        var (code, output, error) = await ChatportAsync("backup", copy, "--Chatport:Storage:Provider=postgres",
            $"--Chatport:Storage:ConnectionString={database.ConnectionString}", "--Logging:LogLevel:Default=Warning");
        Assert.True(code == 2, $"backup exited {code}: {output}{error}");
        Assert.Contains("back it up with pg_dump", error, StringComparison.Ordinal);
        Assert.DoesNotContain(database.ConnectionString, output + error, StringComparison.Ordinal);
        Assert.False(File.Exists(copy));
    }
}
