using Chatport.Delivery.Telemetry;
using OpenTelemetry.Metrics;

namespace Chatport.Telemetry;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (OpenTelemetry): deliveries by outcome, attempt latency,
/// outbox depth and oldest pending age, failures by destination, inbound refusals, plus HTTP server and
/// .NET runtime metrics.
/// </summary>
internal static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddChatportTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(DeliveryMetrics.MeterName, Sources.Hooks.HookMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static IEndpointRouteBuilder MapChatportMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
