using Chatport.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Chatport.Problems;

/// <summary>
/// A store that cannot answer right now (unreachable, restarting, every connection busy, a statement past its
/// timeout) is a 503 problem detail with <c>Retry-After</c>, answered as soon as the bounded wait ends — never a
/// 500, never a request left queueing. Every write of the API is idempotent (event ids, identical bodies), so
/// sending the request again is always safe.
/// </summary>
internal sealed partial class StoreUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<StoreUnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreUnavailable.Is(exception))
        {
            return false;
        }
        var reason = StoreUnavailable.Describe(exception);
        // The route's pattern, not the path: a hook's path is its secret token. The exception handler middleware
        // clears the endpoint from the context before handlers run; its feature keeps it.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        LogUnavailable(logger, httpContext.Request.Method, route, reason);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The store is not answering",
                Detail = $"The request could not be completed: {reason}. It may or may not have been stored; "
                    + $"send it again in {RetryAfterSeconds} seconds (the same request again is never stored twice).",
            },
        });
    }

    [LoggerMessage(201, LogLevel.Warning, "{Method} {Route} answered 503: {Reason}.")]
    private static partial void LogUnavailable(ILogger logger, string method, string route, string reason);
}
