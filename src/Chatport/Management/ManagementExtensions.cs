using Chatport.Hosting;

namespace Chatport.Management;

internal static class ManagementExtensions
{
    /// <summary>
    /// The metrics key, and the management port: its addresses are added to the ones Kestrel listens on (after
    /// <c>urls</c> is settled), and a request's local port says which it came in on.
    /// </summary>
    public static WebApplicationBuilder AddChatportManagement(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.Key is null || o.Key.Length >= 16, "Chatport:Metrics:Key must be at least 16 characters long.")
            .ValidateOnStart();
        builder.Services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section);
        var management = builder.Configuration[$"{ManagementOptions.Section}:{nameof(ManagementOptions.Urls)}"];
        if (string.IsNullOrWhiteSpace(management))
        {
            builder.Services.AddSingleton(ManagementPorts.None);
            return builder;
        }
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            throw new InvalidOperationException("Chatport:Management:Urls works with --urls; with Kestrel:Endpoints, add the management endpoint there and drop Chatport:Management:Urls.");
        }
        var publicUrls = builder.Configuration["urls"] is { Length: > 0 } urls ? urls : ChatportApp.DefaultUrls;
        builder.Services.AddSingleton(ManagementPorts.Parse(management, publicUrls));
        builder.WebHost.UseUrls($"{publicUrls};{management}");
        return builder;
    }

    /// <summary>Runs after routing (it reads the endpoint's <see cref="ManagementEndpoint"/>) and before authentication.</summary>
    public static WebApplication UseChatportManagement(this WebApplication app)
    {
        app.UseMiddleware<ManagementAccess>();
        return app;
    }
}
