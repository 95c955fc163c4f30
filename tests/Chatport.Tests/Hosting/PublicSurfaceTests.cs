using Chatport.Hosting;

namespace Chatport.Tests.Hosting;

/// <summary>The executable is no library: its types are internal (this test project sees them through InternalsVisibleTo).</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void The_executable_exports_no_type()
    {
        var exported = typeof(ChatportApp).Assembly.GetExportedTypes()
            .Select(type => type.FullName)
            .ToList();

        Assert.True(exported.Count == 0, $"public without a reason: {string.Join(", ", exported)}");
    }
}
