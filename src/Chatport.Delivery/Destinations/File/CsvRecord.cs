using System.Globalization;
using System.Text;
using Chatport.Contract;
using Chatport.Storage.Deliveries;
using Chatport.Transcripts;
using CsvHelper;

namespace Chatport.Delivery.Destinations.File;

/// <summary>
/// A CSV record: one row a conversation (RFC 4180: fields with a comma, a quote or a line break are quoted,
/// quotes doubled, rows end with CRLF). A new file starts with the UTF-8 byte order mark and <see cref="Columns"/>.
/// A cell a spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
/// carriage return) is prefixed with <c>'</c>, as OWASP advises.
/// </summary>
public static class CsvRecord
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "accountId", "chatId", "version", "kinds", "beginAt", "endAt",
        "isChat", "isMissed", "isTriggered", "isOffline", "isCompleted", "isDropped",
        "duration", "avgResponse", "firstResponse", "messagesCount", "wordsCount", "rating", "ratingDesc",
        "visitorId", "visitorName", "visitorEmail", "visitorCity", "visitorCountry", "visitorIpAddress",
        "pages", "transcript",
    ];

    /// <summary>RFC 4180 (CRLF, quoted when needed), with formula-like text cells escaped by a leading <c>'</c>.</summary>
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, InjectionEscape = '\'' };

    /// <summary>The row for one delivery of <paramref name="conversation"/>, with the BOM and the header first when <paramref name="withHeader"/>.</summary>
    public static byte[] Row(Conversation conversation, DeliveryWork delivery, TimeZoneInfo zone, bool withHeader) =>
        Row(conversation, delivery.AccountId, delivery.ChatId, delivery.Version, delivery.Kinds, zone, withHeader);

    /// <summary>
    /// The row for one version of <paramref name="conversation"/> (its identity, version and kinds given), with the BOM
    /// and the header first when <paramref name="withHeader"/>; what <c>chatport export --format csv</c> writes too.
    /// </summary>
    public static byte[] Row(Conversation conversation, long accountId, long chatId, int version, IReadOnlyList<string> kinds, TimeZoneInfo zone, bool withHeader)
    {
        using var output = new MemoryStream();
        if (withHeader)
        {
            output.Write(Encoding.UTF8.Preamble);
        }
        using (var csv = CsvWriter.Create(output, Options, leaveOpen: true))
        {
            if (withHeader)
            {
                csv.WriteHeader([.. Columns]);
            }
            csv.WriteRecord([.. Cells(conversation, accountId, chatId, version, kinds, zone)]);
        }
        return output.ToArray();
    }

    /// <summary>What a new file starts with: the UTF-8 byte order mark and <see cref="Columns"/> (a file with no row yet).</summary>
    public static byte[] Header()
    {
        using var output = new MemoryStream();
        output.Write(Encoding.UTF8.Preamble);
        using (var csv = CsvWriter.Create(output, Options, leaveOpen: true))
        {
            csv.WriteHeader([.. Columns]);
        }
        return output.ToArray();
    }

    private static IEnumerable<string?> Cells(Conversation conversation, long accountId, long chatId, int version, IReadOnlyList<string> kinds, TimeZoneInfo zone)
    {
        var channel = conversation.Channel ?? new Channel();
        var visitor = conversation.Visitor.Or(null) ?? new Visitor();
        yield return accountId.ToString(CultureInfo.InvariantCulture);
        yield return chatId.ToString(CultureInfo.InvariantCulture);
        yield return version.ToString(CultureInfo.InvariantCulture);
        yield return string.Join(' ', kinds);
        yield return Time(conversation.BeginAt, zone);
        yield return Time(conversation.EndAt, zone);
        yield return Flag(channel.IsChat);
        yield return Flag(channel.IsMissed);
        yield return Flag(channel.IsTriggered);
        yield return Flag(channel.IsOffline);
        yield return Flag(channel.IsCompleted);
        yield return Flag(channel.IsDropped);
        yield return Number(channel.Duration);
        yield return Number(channel.AvgResponse);
        yield return Number(channel.FirstResponse);
        yield return Number(channel.MessagesCount);
        yield return Number(channel.WordsCount);
        yield return channel.Rating.Or(null)?.ToString(CultureInfo.InvariantCulture);
        yield return channel.RatingDesc.Or(null);
        yield return visitor.Id.Or(null)?.ToString(CultureInfo.InvariantCulture);
        yield return visitor.Name.Or(null);
        yield return visitor.Email.Or(null);
        yield return visitor.City.Or(null);
        yield return visitor.Country.Or(null);
        yield return visitor.IpAddress.Or(null);
        yield return string.Join('\n', (conversation.Paths.Or(null) ?? []).Select(p => p.Url.Or(null) ?? ""));
        yield return TranscriptRenderer.RenderText(conversation, zone);
    }

    /// <summary>ISO 8601 with the zone's offset: <c>2015-03-27T15:33:59.703+00:00</c>; empty when absent.</summary>
    private static string? Time(Optional<long> epochMs, TimeZoneInfo zone) =>
        epochMs.HasValue
            ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs.Value), zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
            : null;

    private static string? Flag(Optional<bool> value) => value.HasValue ? value.Value ? "true" : "false" : null;

    private static string? Number(Optional<long> value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : null;
}
