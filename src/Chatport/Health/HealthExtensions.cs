namespace Chatport.Health;

internal static class HealthExtensions
{
    public static IHostApplicationBuilder AddChatportHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return builder;
    }

    /// <summary><c>/health/ready</c>: the store answers. <c>/health/live</c>: the process answers.</summary>
    public static IEndpointRouteBuilder MapChatportHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        return endpoints;
    }
}
