using System.Security.Cryptography;
using System.Text;
using Chatport.Auth;
using Chatport.RateLimits;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Chatport.Management;

/// <summary>
/// Who reaches the management endpoints. On a management port (<c>Chatport:Management:Urls</c>): <c>/metrics</c> and
/// <c>/health/*</c> with no key, and nothing else (404). On the API's port: <c>/health/*</c> open (load balancers),
/// <c>/metrics</c> only with <c>Authorization: Bearer</c> and the metrics key (<c>Chatport:Metrics:Key</c>) or the
/// admin key — it names every destination, so an anonymous caller gets a 401 that says how to read it.
/// </summary>
internal sealed class ManagementAccess(RequestDelegate next, ManagementPorts ports, IOptions<MetricsOptions> metrics, AdminKey adminKey,
    FailedAuthLimiter failedAuth, IProblemDetailsService problems)
{
    private readonly byte[]? _metricsKeyHash = metrics.Value.Key is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>();
        if (ports.Any && ports.Contains(context.Connection.LocalPort))
        {
            return endpoint is null
                ? WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "This is the management port: it serves /metrics and /health/* only.")
                : next(context);
        }
        if (endpoint is not { NeedsKey: true })
        {
            return next(context);
        }
        var allowed = KeyAllows(context.Request);
        if (context.Request.Headers.Authorization.Count > 0)
        {
            // A key sent to /metrics is a guess like one sent to /v1: the same count per address.
            if ((failedAuth.Blocked(context) ?? (allowed ? null : failedAuth.Failed(context))) is { } wait)
            {
                return TooManyRequests.WriteAsync(context, TooManyRequests.FailedAuth, wait, FailedAuthLimiter.Refusal);
            }
        }
        if (!allowed)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "/metrics needs Authorization: Bearer with the metrics key (Chatport:Metrics:Key) or the admin key"
                + (ports.Any ? ", or the management port." : "; or set Chatport:Management:Urls to serve it on a port of its own."));
        }
        return next(context);
    }

    private bool KeyAllows(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = header["Bearer ".Length..].Trim();
        return (_metricsKeyHash is not null
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _metricsKeyHash))
            || adminKey.Matches(presented);
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
