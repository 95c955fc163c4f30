using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Chatport.Auth;
using Chatport.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Chatport.Portal.Auth;

/// <summary>
/// The portal's sign-in: a key typed once at <c>/login</c> (checked by <see cref="KeyCheck"/>, the API's own rule, and
/// counted by the same wrong-key limit per address) becomes an HttpOnly, SameSite=Strict cookie, Secure over HTTPS,
/// protected with the data-protection keys kept in the store. The cookie holds who signed in, never the key. Every
/// request checks again that the key still opens the door: an account key revoked, or an admin key changed, signs
/// its cookies out at their next request.
/// </summary>
internal static class PortalAuth
{
    public const string Scheme = "Portal";
    public const string Policy = "portal";
    public const string CookieName = "chatport_portal";

    /// <summary>For the admin: a fingerprint of the admin key signed in with (a changed key signs the cookie out).</summary>
    public const string AdminKeyClaim = "chatport:admin-key";

    public static IHostApplicationBuilder AddPortalAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/";
            options.LoginPath = PortalPaths.Login;
            options.LogoutPath = PortalPaths.Logout;
            options.AccessDeniedPath = PortalPaths.Login;
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = ValidateAsync;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }

    public static ClaimsPrincipal Principal(Claim[] keyClaims, string? adminFingerprint)
    {
        var claims = new List<Claim>(keyClaims);
        if (adminFingerprint is not null)
        {
            claims.Add(new Claim(AdminKeyClaim, adminFingerprint));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    /// <summary>A short, one-way fingerprint of a key (never the key).</summary>
    public static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("chatport-portal:" + key)))[..32];

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var services = context.HttpContext.RequestServices;
        var valid = false;
        if (user is not null && user.IsAdmin())
        {
            valid = user.FindFirst(AdminKeyClaim)?.Value is { } fingerprint && services.GetRequiredService<AdminKey>().MatchesFingerprint(fingerprint);
        }
        else if (user?.AccountId() is { } accountId && user.Identity?.Name is { } keyId)
        {
            var keys = await services.GetRequiredService<IChatportStore>().ListApiKeysAsync(accountId, CancellationToken.None);
            valid = keys.Any(k => k.Id == keyId && k.RevokedAt is null);
        }
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
