using Chatport.Application.Accounts;
using Chatport.Auth;
using Chatport.Storage.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages;

/// <summary>
/// A page about one account (<c>/accounts/{accountId}/…</c>): the admin sees every account, an account key only its
/// own — another account's pages answer 403 and show nothing of it; an account that does not exist is a 404.
/// </summary>
internal abstract class AccountPage(AccountService accounts, IStringLocalizer<PortalTexts> texts) : PageModel
{
    [FromRoute]
    public long AccountId { get; set; }

    public Account Account { get; private set; } = null!;

    /// <summary>Set when the page shows a refusal instead of itself (with its status code).</summary>
    public string? Refusal { get; private set; }

    protected IStringLocalizer<PortalTexts> Texts => texts;

    protected AccountService Accounts => accounts;

    /// <summary>Loads the account, or sets <see cref="Refusal"/> and the status and returns false.</summary>
    protected async Task<bool> LoadAccountAsync(CancellationToken cancellationToken)
    {
        ViewData["AccountId"] = User.CanAccess(AccountId) ? AccountId : User.AccountId();
        if (!User.CanAccess(AccountId))
        {
            return Refuse(StatusCodes.Status403Forbidden, texts["This key belongs to account {0}; it cannot see account {1}.", User.AccountId() ?? 0, AccountId]);
        }
        var found = await accounts.GetAsync(AccountId, cancellationToken);
        if (!found.Succeeded)
        {
            return Refuse(StatusCodes.Status404NotFound, texts["There is no account {0}.", AccountId]);
        }
        Account = found.Value!;
        return true;
    }

    protected bool Refuse(int status, string message)
    {
        Response.StatusCode = status;
        Refusal = message;
        return false;
    }
}
