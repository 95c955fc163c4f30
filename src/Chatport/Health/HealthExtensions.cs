using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatport.Health;

internal static class HealthExtensions
{
    public static IHostApplicationBuilder AddChatportHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// <c>/health/ready</c>: the store answers (503 and what is wrong when it does not). <c>/health/live</c>: the
    /// process answers; it checks nothing, so it keeps answering whatever the database does.
    /// </summary>
    public static IEndpointRouteBuilder MapChatportHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .WithMetadata(Management.ManagementEndpoint.Health);
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithMetadata(Management.ManagementEndpoint.Health);
        return endpoints;
    }

    /// <summary><c>Healthy</c>, or the status followed by each failing check's reason, one per line.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description}");
        return context.Response.WriteAsync(string.Join("\n", [report.Status.ToString(), .. lines]));
    }
}
