using Chatport.Hosting;

namespace Chatport.Tests.Hosting;

/// <summary>The executable is no library: its types are internal (this test project sees them through InternalsVisibleTo).</summary>
public sealed class PublicSurfaceTests
{
    // Still public, in folders being rewritten elsewhere; to be made internal there.
    private static readonly string[] Pending = ["Chatport.Destinations", "Chatport.Deliveries", "Chatport.Api.Accounts", "Chatport.Api.Keys"];

    [Fact]
    public void The_executable_exports_no_type()
    {
        var exported = typeof(ChatportApp).Assembly.GetExportedTypes()
            .Where(type => !Pending.Contains(type.Namespace))
            .Select(type => type.FullName)
            .ToList();

        Assert.True(exported.Count == 0, $"public without a reason: {string.Join(", ", exported)}");
    }
}
