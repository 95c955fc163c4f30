using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chatport.Portal.Pages.Accounts;

/// <summary><c>/accounts?id=N</c>, the home page's "open an account" form: on to <c>/accounts/N</c>.</summary>
internal sealed class OpenModel : PageModel
{
    public IActionResult OnGet(long? id) => LocalRedirect(id is > 0 ? $"/accounts/{id}" : "/");
}
