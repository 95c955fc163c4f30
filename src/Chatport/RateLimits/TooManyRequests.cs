using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Chatport.RateLimits;

/// <summary>A 429 problem detail with <c>Retry-After</c> (whole seconds, at least 1).</summary>
internal static class TooManyRequests
{
    public const string FailedAuth = "failed_auth";
    public const string AccountKey = "account_key";
    public const string Hook = "hook";

    /// <param name="limit">Which limit refused it, as counted and logged by <see cref="RateLimitEvents"/>.</param>
    public static async Task WriteAsync(HttpContext context, string limit, TimeSpan retryAfter, string detail)
    {
        context.RequestServices.GetRequiredService<RateLimitEvents>().Refused(limit);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"{detail} Send it again in {seconds.ToString(CultureInfo.InvariantCulture)} seconds.",
            },
        });
    }
}
