using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Chatport.RateLimits;

internal static class RateLimitsExtensions
{
    public static IHostApplicationBuilder AddChatportRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.FailedAuth.IsValid && o.AccountKey.IsValid && o.Hook.IsValid,
                "Chatport:RateLimits: each PermitLimit must be 0 (off) or more, each Window a positive time (00:01:00 is a minute).")
            .ValidateOnStart();
        builder.Services.AddSingleton<FailedAuthLimiter>();
        builder.Services.AddSingleton<RateLimitEvents>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicies.AccountKey, RateLimitPolicies.ByAccountKey);
            options.AddPolicy(RateLimitPolicies.Hook, RateLimitPolicies.ByHook);
            options.OnRejected = (rejected, _) =>
            {
                var policy = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var hook = policy == RateLimitPolicies.Hook;
                return new ValueTask(TooManyRequests.WriteAsync(rejected.HttpContext, hook ? TooManyRequests.Hook : TooManyRequests.AccountKey, retryAfter, hook
                    ? "This inbound hook has had more requests than Chatport:RateLimits:Hook allows; nothing was stored."
                    : "This API key has made more calls than Chatport:RateLimits:AccountKey allows; the call was not made."));
            };
        });
        return builder;
    }

    /// <summary>After authorization: the per-key policy partitions by the authenticated key.</summary>
    public static WebApplication UseChatportRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
