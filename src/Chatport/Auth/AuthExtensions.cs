using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Chatport.Auth;

/// <summary>
/// API keys authenticate only the endpoints that require authorization (every <c>/v1</c> call): the policies name
/// the scheme, and there is no default scheme. The anonymous endpoints (<c>/hooks/*</c>, <c>/health/*</c>,
/// <c>/metrics</c>, whose key <c>Management/ManagementAccess.cs</c> checks, <c>/openapi/*</c>) therefore never run the
/// handler, nor log its "not authenticated" per request.
/// </summary>
internal static class AuthExtensions
{
    /// <summary>
    /// With a single scheme registered and no default named, ASP.NET Core makes that scheme the default one, and the
    /// authentication middleware then runs it on every request. This switch keeps the default empty.
    /// </summary>
    public const string SuppressAutoDefaultScheme = "Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme";

    public static IHostApplicationBuilder AddChatportAuth(this IHostApplicationBuilder builder)
    {
        AppContext.SetSwitch(SuppressAutoDefaultScheme, true);
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddSingleton<KeyCheck>();
        builder.Services.AddHostedService<AdminKeyAnnouncer>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // The authorization middleware authenticates with the policy's schemes and sets HttpContext.User from them;
        // it also challenges and forbids through them, since there is no default scheme to fall back on.
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(Caller.AdminPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Caller.AdminRole));
        return builder;
    }
}
