using Chatport.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatport.Health;

/// <summary>
/// Ready when the store round-trips a query within <see cref="Timeout"/>; otherwise unhealthy, saying why in plain
/// words. The ping itself is not cancelled when the wait ends (the store bounds its own statements); the check just
/// stops waiting for it, so <c>/health/ready</c> answers in bounded time even when the database does not.
/// </summary>
internal sealed class StoreHealthCheck(IChatportStore store, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync().WaitAsync(Timeout, time, cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The store did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The store does not answer: {StoreUnavailable.Describe(e)}.");
        }
    }
}
