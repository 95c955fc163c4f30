using System.Threading.RateLimiting;
using Chatport.Auth;
using Microsoft.Extensions.Options;

namespace Chatport.RateLimits;

/// <summary>The ASP.NET Core rate limiting policies the endpoints name: per account key on <c>/v1</c>, per source on <c>/hooks</c>.</summary>
internal static class RateLimitPolicies
{
    public const string AccountKey = "account-key";
    public const string Hook = "hook";

    /// <summary>
    /// Runs after authorization, so the caller is known: an account key is partitioned by its id; the admin key, and
    /// a call that failed authentication (already answered), are not limited.
    /// </summary>
    public static RateLimitPartition<string> ByAccountKey(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.AccountKey;
        var user = context.User;
        if (!limit.On || user.Identity?.IsAuthenticated != true || user.IsAdmin() || user.Identity.Name is not { } keyId)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }
        return RateLimitPartition.GetFixedWindowLimiter(keyId, _ => Window(limit));
    }

    /// <summary>A hook's URL token names its source: one window per token.</summary>
    public static RateLimitPartition<string> ByHook(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Hook;
        if (!limit.On || context.GetRouteValue("token") is not string token)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }
        return RateLimitPartition.GetFixedWindowLimiter(token, _ => Window(limit));
    }

    public static FixedWindowRateLimiterOptions Window(WindowLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0, // over the limit is answered at once, never held
        AutoReplenishment = true,
    };
}
