using System.Reflection;
using Chatport.Delivery.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Chatport.Telemetry;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (OpenTelemetry): deliveries by outcome, attempt latency,
/// outbox depth and oldest pending age, failures by destination, inbound refusals, rate-limit refusals, plus HTTP server and
/// .NET runtime metrics. The resource (Prometheus' <c>target_info</c>) names the service <c>chatport</c>, with
/// its version and an id of this process.
/// </summary>
internal static class TelemetryExtensions
{
    public const string ServiceName = "chatport";

    /// <summary>The informational version of the build (the version, then <c>+</c> and the commit it was built from).</summary>
    public static string? ServiceVersion { get; } =
        typeof(TelemetryExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static IHostApplicationBuilder AddChatportTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read again after, still override these.
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: ServiceVersion).AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddMeter(DeliveryMetrics.MeterName, Sources.Hooks.HookMetrics.MeterName, RateLimits.RateLimitEvents.MeterName)
                // ASP.NET Core's own meters for requests (http.server.request.duration) and Kestrel's connections. Not
                // AddAspNetCoreInstrumentation(): it also listens to routing, rate-limiting and diagnostics meters and adds
                // a middleware, each a cost on every request, for figures
                // Chatport's own meters already give (chatport_rate_limit_refused_total, the hooks' and deliveries' counters).
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    public static IEndpointRouteBuilder MapChatportMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Keyed on the API's port, open on the management port (Management/ManagementAccess.cs).
        endpoints.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(Management.ManagementEndpoint.Metrics);
        return endpoints;
    }
}
