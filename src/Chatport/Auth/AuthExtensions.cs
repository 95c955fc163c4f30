using Microsoft.AspNetCore.Authentication;

namespace Chatport.Auth;

internal static class AuthExtensions
{
    public static IHostApplicationBuilder AddChatportAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddHostedService<AdminKeyAnnouncer>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Caller.AdminPolicy, policy => policy.RequireRole(Caller.AdminRole));
        return builder;
    }
}
