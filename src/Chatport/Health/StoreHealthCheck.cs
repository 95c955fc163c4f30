using Chatport.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatport.Health;

/// <summary>Ready when the store round-trips a query.</summary>
internal sealed class StoreHealthCheck(IChatportStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}
