using System.Globalization;
using Chatport.Application.Accounts;
using Chatport.Application.Conversations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/conversations/{chatId}/raw</c>: the latest version's body exactly as stored, as
/// <c>application/json</c>, behind the same sign-in and account check as the pages (a refusal is a page).
/// </summary>
internal sealed class ConversationRawModel(AccountService accounts, ConversationService conversations, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    [FromRoute]
    public long ChatId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAccountAsync(cancellationToken))
        {
            return Page();
        }
        var found = await conversations.GetAsync(AccountId, ChatId, cancellationToken);
        if (!found.Succeeded)
        {
            Refuse(StatusCodes.Status404NotFound, Texts["Account {0} has no conversation {1}.", AccountId, ChatId]);
            return Page();
        }
        var stored = found.Value!.Stored;
        Response.Headers["chatport-conversation-version"] = stored.Version.ToString(CultureInfo.InvariantCulture);
        return File(stored.Body, "application/json");
    }
}
