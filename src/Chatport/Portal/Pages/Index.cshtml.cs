using Chatport.Application.Accounts;
using Chatport.Auth;
using Chatport.Storage.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chatport.Portal.Pages;

/// <summary>
/// <c>/</c>: the accounts the key may see — for the admin every account, 50 a page by id (<c>?after=</c> the last id
/// shown); an account key sees one, so it goes straight to it.
/// </summary>
internal sealed class IndexModel(AccountService accounts) : PageModel
{
    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    /// <summary>The id to start the next page after, or null on the last page.</summary>
    public long? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? after, CancellationToken cancellationToken)
    {
        if (User.AccountId() is { } own)
        {
            return LocalRedirect($"/accounts/{own}");
        }
        var page = await accounts.ListAsync(after is > 0 ? after : null, AccountService.DefaultPage, cancellationToken);
        Accounts = page.Value?.Items ?? [];
        Next = page.Value?.Next;
        return Page();
    }
}
