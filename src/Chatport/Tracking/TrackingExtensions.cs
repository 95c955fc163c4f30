namespace Chatport.Tracking;

internal static class TrackingExtensions
{
    public static IHostApplicationBuilder AddChatportTracking(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InactivityOptions>().BindConfiguration(InactivityOptions.Section)
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.BatchSize > 0, "Chatport:Tracking:SweepInterval and BatchSize must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<InactivityTimeouts>();
        builder.Services.AddHostedService<InactivitySweeper>();
        return builder;
    }
}
