using Chatport.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chatport.Portal.Pages;

/// <summary><c>/</c>: the accounts the key may see. An account key sees one, so it goes straight to it.</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        User.AccountId() is { } own ? LocalRedirect($"/accounts/{own}") : Page();
}
