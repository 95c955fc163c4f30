using Chatport.Portal.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chatport.Portal.Pages;

/// <summary><c>/logout</c>: a POST (with its antiforgery token) ends the session and goes back to the sign-in page.</summary>
internal sealed class LogoutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalAuth.Scheme);
        return LocalRedirect(PortalPaths.Login);
    }
}
