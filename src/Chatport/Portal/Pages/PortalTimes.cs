using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Chatport.Portal.Pages;

/// <summary>
/// How a page shows times: in UTC, or (<c>?tz=account</c>) in the account's time zone, named beside each time; and
/// how a <c>datetime-local</c> field shows one back (minutes, UTC, as <see cref="Chatport.Application.TimeParameter"/>
/// reads it).
/// </summary>
internal sealed class PortalTimes(TimeZoneInfo zone, string zoneName)
{
    public const string Query = "tz";

    public static readonly PortalTimes Utc = new(TimeZoneInfo.Utc, "UTC");

    /// <summary>The account's zone when asked for and known; UTC otherwise.</summary>
    public static PortalTimes For(string? accountZone, string? asked) =>
        asked == "account" && accountZone is { Length: > 0 } name && name != "UTC" && Delivery.Destinations.AccountZones.TryResolve(name, out var zone)
            ? new PortalTimes(zone, name)
            : Utc;

    public bool IsUtc => ReferenceEquals(this, Utc);

    public string ZoneName => zoneName;

    public string Show(DateTimeOffset? at) =>
        at is { } time
            ? TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + zoneName
            : "—";

    /// <summary>A <c>&lt;time&gt;</c> element with both forms, or a dash.</summary>
    public IHtmlContent Tag(DateTimeOffset? at)
    {
        if (at is not { } time)
        {
            return new HtmlString("—");
        }
        var html = new HtmlContentBuilder();
        html.AppendHtml("<time datetime=\"").Append(Iso(time)).AppendHtml("\">").Append(Show(time)).AppendHtml("</time>");
        return html;
    }

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> field's value for a time a person typed back (UTC, to the minute).</summary>
    public static string Field(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string Seconds(long? seconds) =>
        seconds is not { } s ? "—"
        : s < 120 ? s.ToString(CultureInfo.InvariantCulture) + " s"
        : s < 7200 ? (s / 60).ToString(CultureInfo.InvariantCulture) + " min"
        : (s / 3600).ToString(CultureInfo.InvariantCulture) + " h";
}
