using Chatport.Application.Accounts;
using Chatport.Application.Deliveries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/live</c>: the last minutes of an account (<see cref="DeliveryService.GetLiveAsync"/>, what
/// <c>GET /v1/accounts/{id}/stats</c> answers): conversations ended, deliveries settled and per second, and the queue,
/// per destination. With <c>?refresh=on</c> (a link on the page) it reads itself again every
/// <see cref="RefreshSeconds"/> seconds (a meta refresh, no script). Not by default: a page that reloads itself by a
/// timer the person did not choose fails WCAG 2.2.1 (axe-core's <c>meta-refresh</c>, critical), and each reload
/// moves a screen reader back to the top.
/// </summary>
internal sealed class LiveModel(AccountService accounts, DeliveryService deliveries, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    public const int RefreshSeconds = 10;

    [FromQuery(Name = "refresh")]
    public string? Refresh { get; set; }

    [FromQuery(Name = PortalTimes.Query)]
    public string? Zone { get; set; }

    public bool Refreshing => Refresh == "on";

    public LiveView? View { get; private set; }

    public PortalTimes Times { get; private set; } = PortalTimes.Utc;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAccountAsync(cancellationToken))
        {
            Times = PortalTimes.For(Account.TimeZone, Zone);
            var live = await deliveries.GetLiveAsync(AccountId, cancellationToken);
            if (!live.Succeeded)
            {
                Refuse(StatusCodes.Status404NotFound, Texts["There is no account {0}.", AccountId]);
            }
            View = live.Value;
            Response.Headers.CacheControl = "no-store";
        }
        return Page();
    }

    /// <summary>This page with the refresh on or off, keeping the time zone asked for.</summary>
    public string Link(bool refresh, bool accountZone)
    {
        var query = new List<string>();
        if (refresh)
        {
            query.Add("refresh=on");
        }
        if (accountZone)
        {
            query.Add(PortalTimes.Query + "=account");
        }
        return $"/accounts/{AccountId}/live" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    public static string Rate(double perSecond) => perSecond.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
