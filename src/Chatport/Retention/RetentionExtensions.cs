namespace Chatport.Retention;

internal static class RetentionExtensions
{
    public static IHostApplicationBuilder AddChatportRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Period > TimeSpan.Zero && o.Interval > TimeSpan.Zero && o.BatchSize > 0,
                "Chatport:Retention:Period, Interval and BatchSize must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<StorePruner>();
        builder.Services.AddHostedService<RetentionSweeper>();
        return builder;
    }
}
