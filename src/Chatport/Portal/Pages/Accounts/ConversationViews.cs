using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chatport.Contract;
using Chatport.Storage.Accounts;
using Chatport.Transcripts;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>What the conversation pages share: the account's zone, times in it, a stored body read for people.</summary>
internal static class ConversationViews
{
    private static readonly JsonWriterOptions Pretty = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The account's time zone (its <c>timeZone</c>), UTC when this machine does not know it.</summary>
    public static TimeZoneInfo ZoneOf(Account account) => Delivery.Destinations.AccountZones.Resolve(account.TimeZone);

    /// <summary>An epoch-milliseconds time in the zone, to the second (the transcripts' format).</summary>
    public static string Time(long? epochMs, TimeZoneInfo zone) => epochMs is { } ms ? TranscriptRenderer.Time(ms, zone) : "—";

    /// <summary>The same time as a <c>datetime</c> attribute (ISO 8601, UTC).</summary>
    public static string IsoTime(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A stored body as the current generation of the contract, or null when it cannot be read.</summary>
    public static Conversation? Read(byte[] body)
    {
        try
        {
            var parsed = ContractJson.Parse(body);
            return ConversationNormalizer.IsOlderGeneration(parsed) ? ConversationNormalizer.Normalize(parsed) : parsed;
        }
        catch (ContractException)
        {
            return null;
        }
    }

    /// <summary>A body indented for reading (the raw endpoint keeps the exact bytes); as it is when it is not JSON.</summary>
    public static string Indented(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = ContractJson.MaxDepth });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Pretty))
            {
                document.WriteTo(writer);
            }
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(body);
        }
    }

    public static string Number(Optional<long> value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "—";
}
