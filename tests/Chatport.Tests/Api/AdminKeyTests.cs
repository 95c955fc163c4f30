using System.Net;
using System.Net.Http.Json;

namespace Chatport.Tests.Api;

public sealed class AdminKeyTests
{
    [Fact]
    public async Task Without_a_configured_key_one_is_made_kept_in_the_data_dir_and_reused()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatport-tests", Guid.NewGuid().ToString("N"));
        string key;
        await using (var server = await ChatportServer.StartAsync(adminKey: null, dataDir: dataDir))
        {
            var path = Path.Combine(dataDir, "admin.key");
            Assert.True(File.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            key = (await File.ReadAllTextAsync(path)).Trim();
            Assert.StartsWith("cpk_admin_", key, StringComparison.Ordinal);

            using var client = server.NewClient(key);
            var response = await client.PutAsJsonAsync("/v1/accounts/1", new { name = "One", plan = "free" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await using (var restarted = await ChatportServer.StartAsync(adminKey: null, dataDir: dataDir))
        {
            using var client = restarted.NewClient(key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/1")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await restarted.Client.GetAsync("/v1/accounts/1")).StatusCode);
        }
    }
}
