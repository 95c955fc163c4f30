using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Deliveries;
using Chatport.Application.Destinations;
using Chatport.Storage.Deliveries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/deliveries</c>: the delivery log, newest first, filtered by status, destination and when the
/// delivery was created (<see cref="DeliveryService.ListAsync"/>, the API's own call), a page at a time (<c>before</c>);
/// and "replay the failed ones since …" for one destination (<see cref="DestinationService.ReplayAsync"/>).
/// </summary>
internal sealed class DeliveriesModel(
    AccountService accounts, DeliveryService deliveries, DestinationService destinations, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    public static readonly string[] Statuses = [DeliveryStatus.Pending, DeliveryStatus.Succeeded, DeliveryStatus.Failed];

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    [FromQuery(Name = "destination")]
    public string? Destination { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "before")]
    public string? Before { get; set; }

    [FromQuery(Name = PortalTimes.Query)]
    public string? Zone { get; set; }

    public IReadOnlyList<DeliveryRecord> Items { get; private set; } = [];

    /// <summary>The id to pass as <c>before</c> for the next (older) page; null on the last one.</summary>
    public string? Next { get; private set; }

    public IReadOnlyList<DestinationModel> Destinations { get; private set; } = [];

    public PortalTimes Times { get; private set; } = PortalTimes.Utc;

    public string? Notice { get; private set; }
    public bool Failed { get; private set; }
    public IDictionary<string, string[]>? Errors { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <param name="replayDestination">The destination whose failed deliveries to send again.</param>
    /// <param name="since">From when (UTC): only deliveries created then or later.</param>
    public async Task<IActionResult> OnPostReplayAsync(string? replayDestination, string? since)
    {
        if (!await LoadAccountAsync(CancellationToken.None))
        {
            return Page();
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(replayDestination))
        {
            errors["destination"] = [Texts["Choose a destination."]];
        }
        if (!TimeParameter.TryParseTime(since?.Trim(), out var sinceTime) || sinceTime is null)
        {
            errors["since"] = [Texts["Give the time to replay from, as a date and time (UTC)."]];
        }
        if (errors.Count > 0)
        {
            Show(Result<ReplayResult>.Invalid(errors, Texts["Nothing was replayed."]), "");
        }
        else
        {
            var replayed = await destinations.ReplayAsync(AccountId, replayDestination!, new ReplayRequest(sinceTime, null, DeliveryStatus.Failed), CancellationToken.None);
            Show(replayed, replayed.Succeeded ? Texts["{0} failed deliveries were queued again (same ids).", replayed.Value!.Replayed] : "");
        }
        await LoadListAsync(CancellationToken.None);
        return Page();
    }

    /// <summary>This page's address with one filter changed (null removes it); the page starts again unless it is <c>before</c>.</summary>
    public string Link(string? before = null, bool? accountZone = null)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("status", Status), new("destination", Destination), new("from", From), new("to", To), new("before", before),
            new(PortalTimes.Query, (accountZone ?? !Times.IsUtc) ? "account" : null),
        };
        return QueryString.Create(query.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent() is { Length: > 0 } q
            ? $"/accounts/{AccountId}/deliveries{q}"
            : $"/accounts/{AccountId}/deliveries";
    }

    public string DestinationName(string id) =>
        Destinations.FirstOrDefault(d => d.Destination.Id == id) is { } d ? Name(d) : id;

    /// <summary>A delivery's status in the page's language.</summary>
    public static string StatusText(IStringLocalizer<PortalTexts> texts, string status) => status switch
    {
        DeliveryStatus.Pending => texts["pending"],
        DeliveryStatus.Succeeded => texts["succeeded"],
        DeliveryStatus.Failed => texts["failed"],
        _ => status,
    };

    /// <summary>A destination as a person knows it: its name, or where it sends.</summary>
    public static string Name(DestinationModel destination) =>
        destination.Destination.Name is { Length: > 0 } name ? name : AccountModel.Target(destination);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (await LoadAccountAsync(cancellationToken))
        {
            await LoadListAsync(cancellationToken);
        }
    }

    private async Task LoadListAsync(CancellationToken cancellationToken)
    {
        Times = PortalTimes.For(Account.TimeZone, Zone);
        Destinations = await destinations.ListAsync(AccountId, cancellationToken);
        var page = await deliveries.ListAsync(AccountId, Blank(Status), Blank(Destination), null, Blank(Before), Blank(From), Blank(To), cancellationToken);
        if (page.Succeeded)
        {
            (Items, Next) = page.Value;
        }
        else if (Notice is null)
        {
            Show(page, "");
        }
    }

    private void Show<T>(Result<T> result, string done)
    {
        Failed = !result.Succeeded;
        Notice = result.Succeeded ? done : result.Detail ?? result.Title ?? Texts["That did not work."];
        Errors = result.Errors;
        if (!result.Succeeded)
        {
            Response.StatusCode = result.Status == ResultStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
