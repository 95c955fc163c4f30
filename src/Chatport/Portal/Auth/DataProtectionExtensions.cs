using Chatport.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatport.Portal.Auth;

internal static class DataProtectionExtensions
{
    /// <summary>
    /// The application name every node shares: Data Protection isolates applications by it, so nodes must agree
    /// on it (and not take the default, the content root, which differs between installs) to accept each other's cookies.
    /// </summary>
    public const string ApplicationName = "chatport";

    /// <summary>
    /// ASP.NET Core Data Protection with its keys in Chatport's store (<see cref="StoreXmlRepository"/>), under the
    /// application name <see cref="ApplicationName"/>. The keys are read when first used, after the store's
    /// migration has run at start-up, and then cached by Data Protection (see <see cref="StoreXmlRepository"/>).
    /// Call it after <c>AddChatportStorage</c>: its warm-up (<see cref="DataProtectionKeyRingWarmup"/>, which replaces Data
    /// Protection's own) must start after the migration. Calling it twice is harmless.
    /// </summary>
    public static WebApplicationBuilder AddChatportDataProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.TryAddSingleton(services => new StoreXmlRepository(services.GetRequiredService<IChatportStore>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<StoreXmlRepository>>()));
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, services) => options.XmlRepository = services.GetRequiredService<StoreXmlRepository>());
        // Data Protection's warm-up reads the ring synchronously while the host starts (see StoreXmlRepository); ours reads it asynchronously.
        foreach (var warmup in builder.Services.Where(IsDataProtectionsOwnWarmup).ToList())
        {
            builder.Services.Remove(warmup);
        }
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DataProtectionKeyRingWarmup>());
        return builder;
    }

    /// <summary>Data Protection's own start-up warm-up (an internal type, so named), which <see cref="DataProtectionKeyRingWarmup"/> replaces.</summary>
    internal static bool IsDataProtectionsOwnWarmup(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService)
        && descriptor.ImplementationType is { Name: "DataProtectionHostedService", Namespace: var ns }
        && ns?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true;
}
