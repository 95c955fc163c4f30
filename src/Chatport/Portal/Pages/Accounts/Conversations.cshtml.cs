using System.Globalization;
using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Conversations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/conversations</c>: the account's finished conversations, newest first, filtered by kind, end time
/// (typed in the account's time zone) and text, paged with the service's cursor. A GET form: the filters are the
/// address, so a search can be bookmarked. Every rule (kinds, times, search length, cursors) is the service's.
/// </summary>
internal sealed class ConversationsModel(AccountService accounts, ConversationService conversations, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    public static readonly string[] Kinds = ["completed", "missed", "offline", "dropped", "chat"];

    [FromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "q")]
    public string? Search { get; set; }

    [FromQuery(Name = "cursor")]
    public string? Cursor { get; set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? Next { get; private set; }

    /// <summary>Why the service refused the filters (shown as an alert, with a 400).</summary>
    public string? Error { get; private set; }

    public IDictionary<string, string[]>? Errors { get; private set; }

    /// <summary>One conversation as the table shows it.</summary>
    public sealed record Row(long ChatId, long? EndAt, string? Name, string? Email, IReadOnlyList<string> Kinds, string Messages, string Rating);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAccountAsync(cancellationToken))
        {
            return Page();
        }
        Zone = ConversationViews.ZoneOf(Account);
        var found = await conversations.ListAsync(AccountId, Blank(Kind), InZone(From), InZone(To), Blank(Search), Blank(Cursor), null, cancellationToken);
        if (!found.Succeeded)
        {
            Response.StatusCode = found.Status == ResultStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            Error = found.Detail ?? Texts["These filters cannot be used."];
            Errors = found.Errors;
            return Page();
        }
        Rows = [.. found.Value!.Items.Select(c =>
        {
            var read = ConversationViews.Read(c.Body);
            var visitor = read?.Visitor.Or(null);
            var channel = read?.Channel;
            var rating = channel?.Rating.Or(null) is { } r ? r.ToString(CultureInfo.InvariantCulture) : "—";
            return new Row(c.ChatId, c.EndAt, visitor?.Name.Or(null), visitor?.Email.Or(null), c.Kinds,
                channel is null ? "—" : ConversationViews.Number(channel.MessagesCount), rating);
        })];
        Next = found.Value.Next;
        return Page();
    }

    /// <summary>The address of the next page: the same filters, the service's cursor.</summary>
    public string OlderUrl()
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Keep(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query[name] = value;
            }
        }
        Keep("kind", Kind);
        Keep("from", From);
        Keep("to", To);
        Keep("q", Search);
        Keep("cursor", Next);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/accounts/{AccountId}/conversations", query);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// A time from the form's <c>datetime-local</c> (no zone: the account's) as epoch milliseconds for the service;
    /// anything else is passed on as typed for the service to read (epoch ms, ISO 8601) or refuse.
    /// </summary>
    private string? InZone(string? value)
    {
        value = Blank(value);
        if (value is null || !DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return value;
        }
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // a time the clocks skipped: the one they moved to
        }
        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    }
}
