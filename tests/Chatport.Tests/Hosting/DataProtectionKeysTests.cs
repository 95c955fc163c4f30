using System.Xml.Linq;
using Chatport.Portal.Auth;
using Chatport.Storage;
using Chatport.Tests.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chatport.Tests.Hosting;

/// <summary>
/// Data Protection with its keys in Chatport's store (<see cref="DataProtectionExtensions.AddChatportDataProtection"/>),
/// on the real app: what one start protects, the next start on the same data dir unprotects, and two nodes on one
/// PostgreSQL database unprotect each other's; the key is the stored one, not a file's. A key another node stored
/// later is found, and payloads naming made-up key ids do not read the store per request.
/// </summary>
public sealed class DataProtectionKeysTests
{
    private const string Purpose = "test";

    private static Task<ChatportServer> StartAsync(string dataDir, params string[] settings) =>
        ChatportServer.StartAsync(dataDir: dataDir, configure: builder => builder.AddChatportDataProtection(), settings: settings);

    private static IDataProtector Protector(ChatportServer server) =>
        server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    /// <summary>The ids of the keys kept in the server's store.</summary>
    private static async Task<Guid[]> StoredKeyIdsAsync(ChatportServer server) =>
        [.. (await server.Services.GetRequiredService<IChatportStore>().ListDataProtectionKeysAsync())
            .Select(key => XElement.Parse(key.Xml))
            .Where(element => element.Name.LocalName == "key")
            .Select(element => Guid.Parse((string)element.Attribute("id")!))];

    private static void AssertUsesTheStore(ChatportServer server)
    {
        var options = server.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
        Assert.IsType<StoreXmlRepository>(options.XmlRepository);
        Assert.Equal(DataProtectionExtensions.ApplicationName,
            server.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    [Fact]
    public async Task Data_protection_s_own_start_up_warm_up_is_replaced_by_one_that_reads_the_store_asynchronously()
    {
        static string[] Names(ChatportServer server) => [.. server.Services.GetServices<IHostedService>().Select(service => service.GetType().Name)];

        var bare = new ServiceCollection();
        bare.AddDataProtection();
        Assert.Contains(bare, DataProtectionExtensions.IsDataProtectionsOwnWarmup); // what the extension removes is still so named
        await using var server = await StartAsync(Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N")));

        Assert.DoesNotContain("DataProtectionHostedService", Names(server));
        Assert.Contains(nameof(DataProtectionKeyRingWarmup), Names(server));
        Assert.True(server.Services.GetRequiredService<StoreXmlRepository>().StoreReads > 0); // the warm-up read the store
    }

    private static Guid[] KeyRingIds(ChatportServer server) =>
        [.. server.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(key => key.KeyId)];

    [Fact]
    public async Task A_string_protected_before_a_restart_is_unprotected_after_it_with_the_key_from_the_store()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string protectedText;
            Guid[] stored;
            await using (var first = await StartAsync(dataDir))
            {
                AssertUsesTheStore(first);
                protectedText = Protector(first).Protect("portal session 42");
                stored = await StoredKeyIdsAsync(first);
                Assert.Single(stored);
                Assert.Equal(stored, KeyRingIds(first));
            }

            await using var second = await StartAsync(dataDir);

            Assert.Equal("portal session 42", Protector(second).Unprotect(protectedText));
            Assert.Equal(stored, KeyRingIds(second));
            Assert.Equal(stored, await StoredKeyIdsAsync(second)); // no new key made on the restart
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Two_nodes_on_one_postgres_database_unprotect_what_the_other_protected()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        string[] postgres = ["--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={database.ConnectionString}"];
        var dirs = new[] { Guid.NewGuid(), Guid.NewGuid() }.Select(id => Path.Combine(Path.GetTempPath(), "chatport-tests", id.ToString("N"))).ToArray();
        try
        {
            await using var one = await StartAsync(dirs[0], postgres);
            await using var two = await StartAsync(dirs[1], postgres);
            AssertUsesTheStore(one);
            AssertUsesTheStore(two);

            var fromOne = Protector(one).Protect("made on node one");
            Assert.Equal("made on node one", Protector(two).Unprotect(fromOne));
            var fromTwo = Protector(two).Protect("made on node two");
            Assert.Equal("made on node two", Protector(one).Unprotect(fromTwo));

            var stored = await StoredKeyIdsAsync(one);
            Assert.Single(stored); // node two took node one's key rather than make its own
            Assert.Equal(stored, KeyRingIds(two));
        }
        finally
        {
            foreach (var dir in dirs.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_key_another_node_stored_after_this_one_read_its_ring_is_found_when_a_payload_names_it()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var dirs = new[] { Guid.NewGuid(), Guid.NewGuid() }.Select(id => Path.Combine(Path.GetTempPath(), "chatport-tests", id.ToString("N"))).ToArray();
        try
        {
            await using var node = await ChatportServer.StartAsync(dataDir: dirs[0], time: time, configure: builder => builder.AddChatportDataProtection(),
                settings: ["--Chatport:Storage:Provider=postgres", $"--Chatport:Storage:ConnectionString={database.ConnectionString}"]);
            _ = Protector(node).Protect("reads and caches the key ring");
            // A key this node has never seen, put in the shared store as another node would: made by a node on SQLite.
            string fromElsewhere;
            await using (var other = await StartAsync(dirs[1]))
            {
                fromElsewhere = Protector(other).Protect("made elsewhere");
                var key = Assert.Single(await other.Services.GetRequiredService<IChatportStore>().ListDataProtectionKeysAsync());
                await node.Services.GetRequiredService<IChatportStore>().StoreDataProtectionKeyAsync(key.FriendlyName, key.Xml);
            }

            time.Advance(StoreXmlRepository.MinReadInterval); // the node's last read no longer answers

            Assert.Equal("made elsewhere", Protector(node).Unprotect(fromElsewhere));
            Assert.Equal(2, KeyRingIds(node).Length);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var dir in dirs.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Payloads_naming_unknown_keys_read_the_store_at_most_once_per_interval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await ChatportServer.StartAsync(time: time, configure: builder => builder.AddChatportDataProtection());
        var repository = server.Services.GetRequiredService<StoreXmlRepository>();
        var protector = Protector(server);
        _ = protector.Protect("reads and caches the key ring");
        var reads = repository.StoreReads;
        Assert.InRange(reads, 1, 3);

        // Data Protection reloads its ring for each unknown key id in its first two minutes: a client can name made-up ones.
        for (var i = 0; i < 100; i++)
        {
            Assert.Throws<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(UnknownKeyPayload()));
        }
        Assert.Equal(reads, repository.StoreReads);

        time.Advance(StoreXmlRepository.MinReadInterval);
        for (var i = 0; i < 100; i++)
        {
            Assert.Throws<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(UnknownKeyPayload()));
        }
        Assert.Equal(reads + 1, repository.StoreReads);
        Assert.Equal("still fine", protector.Unprotect(protector.Protect("still fine")));
    }

    /// <summary>A Data Protection payload (magic header, key id, then what would be its ciphertext) naming a new key id.</summary>
    private static byte[] UnknownKeyPayload()
    {
        var payload = new byte[4 + 16 + 64];
        payload[0] = 0x09;
        payload[1] = 0xF0;
        payload[2] = 0xC9;
        payload[3] = 0xF0;
        Assert.True(Guid.NewGuid().TryWriteBytes(payload.AsSpan(4, 16)));
        return payload;
    }
}
