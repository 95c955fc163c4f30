using Chatport.Auth;
using Chatport.Portal.Auth;
using Chatport.RateLimits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages;

/// <summary>
/// <c>/login</c>: a key typed into a password field. The same check as the API's (<see cref="KeyCheck"/>) and the same
/// wrong-key count per address (<see cref="FailedAuthLimiter"/>), so the form is no faster a way to guess keys.
/// </summary>
internal sealed class LoginModel(KeyCheck keys, FailedAuthLimiter failedAuth, IStringLocalizer<PortalTexts> texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(PortalPaths.LocalOrHome(ReturnUrl)) : Page();

    public async Task<IActionResult> OnPostAsync([FromForm] string? key)
    {
        if (failedAuth.Blocked(HttpContext) is { } wait)
        {
            return TooMany(wait);
        }
        key = key?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            Error = texts["Type a key."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // The sign-in completes whatever the browser does now: a started check is not cancelled.
        var outcome = await keys.CheckAsync(key, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            if (failedAuth.Failed(HttpContext) is { } after)
            {
                return TooMany(after);
            }
            Error = outcome.Failure!.StartsWith("The API key is not valid", StringComparison.Ordinal)
                ? texts["That key is not valid."]
                : texts["That key was revoked."];
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var admin = outcome.Claims!.Any(c => c.Type == System.Security.Claims.ClaimTypes.Role && c.Value == Caller.AdminRole);
        var principal = PortalAuth.Principal(outcome.Claims!, admin ? PortalAuth.Fingerprint(key) : null);
        await HttpContext.SignInAsync(PortalAuth.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(PortalPaths.LocalOrHome(ReturnUrl));
    }

    private PageResult TooMany(TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        HttpContext.RequestServices.GetRequiredService<RateLimitEvents>().Refused(TooManyRequests.FailedAuth);
        Error = texts["Too many wrong keys came from this address. Try again in {0} seconds.", seconds];
        return Page();
    }
}
