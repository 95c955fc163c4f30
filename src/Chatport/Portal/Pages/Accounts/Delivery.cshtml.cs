using System.Text;
using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Deliveries;
using Chatport.Application.Destinations;
using Chatport.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/deliveries/{deliveryId}</c>: one delivery and every attempt (<see cref="DeliveryService.GetAsync"/>),
/// and "Replay" (<see cref="DeliveryService.ReplayAsync"/>: queued again under the same id). A delivery of another
/// account is not found here, as in the API.
/// </summary>
internal sealed class DeliveryModel(
    AccountService accounts, DeliveryService deliveries, DestinationService destinations, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    [FromRoute]
    public string DeliveryId { get; set; } = "";

    [FromQuery(Name = PortalTimes.Query)]
    public string? Zone { get; set; }

    public DeliveryDetails? Details { get; private set; }

    /// <summary>The destination's name, or where it sends; its id when it is gone.</summary>
    public string Destination { get; private set; } = "";

    public PortalTimes Times { get; private set; } = PortalTimes.Utc;

    public string? Notice { get; private set; }
    public bool Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync()
    {
        if (!await LoadAccountAsync(CancellationToken.None))
        {
            return Page();
        }
        var replayed = await deliveries.ReplayAsync(DeliveryId, CanSee, CancellationToken.None);
        Failed = !replayed.Succeeded;
        Notice = replayed.Succeeded
            ? Texts["Queued again under the same id ({0}): it is sent at once, and a receiver that de-duplicates keeps one copy.", DeliveryId]
            : replayed.Detail ?? Texts["That did not work."];
        await LoadAsync(CancellationToken.None);
        return Page();
    }

    /// <summary>The answer's first 4 KiB as text (as the API shows it).</summary>
    public static string? Excerpt(byte[]? response) => response is { Length: > 0 } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private bool CanSee(long accountId) => accountId == AccountId && User.CanAccess(accountId);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAccountAsync(cancellationToken))
        {
            return;
        }
        Times = PortalTimes.For(Account.TimeZone, Zone);
        var found = await deliveries.GetAsync(DeliveryId, CanSee, cancellationToken);
        if (!found.Succeeded)
        {
            Refuse(StatusCodes.Status404NotFound, Texts["Account {0} has no delivery {1}.", AccountId, DeliveryId]);
            return;
        }
        Details = found.Value;
        var destination = await destinations.GetAsync(AccountId, Details!.Delivery.DestinationId, cancellationToken);
        Destination = destination.Succeeded ? DeliveriesModel.Name(destination.Value!) : Details.Delivery.DestinationId;
    }
}
