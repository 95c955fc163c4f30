using System.Text.Json;
using Chatport.Tracking;

namespace Chatport.Sources.Events;

/// <summary>
/// Splits a <c>POST /v1/events</c> body — a JSON array, one JSON object, or NDJSON — into events, and
/// validates each. Any invalid event makes the whole request invalid (nothing is stored), so a client bug
/// never leaves half a batch behind.
/// </summary>
internal static class EventBatchReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static bool IsNdjson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase));

    /// <summary>The events, or the errors (at least one) that make the request invalid.</summary>
    public static (List<EventItem> Events, List<EventError> Errors) Read(byte[] body, bool ndjson)
    {
        var events = new List<EventItem>();
        var errors = new List<EventError>();
        if (ndjson)
        {
            ReadLines(body, events, errors);
        }
        else
        {
            ReadJson(body, events, errors);
        }
        if (events.Count == 0 && errors.Count == 0)
        {
            errors.Add(new EventError(0, null, "The body holds no event; send a JSON array of events (or NDJSON, one event a line)."));
        }
        return (events, errors);
    }

    private static void ReadJson(byte[] body, List<EventItem> events, List<EventError> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors.Add(new EventError(0, null, Contract.JsonErrors.NotJson(e)));
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var element in root.EnumerateArray())
                    {
                        Add(index++, element, events, errors);
                    }
                    break;
                case JsonValueKind.Object:
                    Add(0, root, events, errors);
                    break;
                default:
                    errors.Add(new EventError(0, null, "The body must be a JSON array of events (or one event object, or NDJSON)."));
                    break;
            }
        }
    }

    private static void ReadLines(byte[] body, List<EventItem> events, List<EventError> errors)
    {
        var rest = body.AsMemory();
        var index = 0;
        var line = 0;
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.Span.IndexOf((byte)'\n');
            var text = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (text.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(text, DocumentOptions);
                Add(index, document.RootElement, events, errors);
            }
            catch (JsonException e)
            {
                errors.Add(new EventError(index, null, $"Line {line} is not valid JSON: {Contract.JsonErrors.WithoutPath(e.Message)}"));
            }
            index++;
        }
    }

    private static void Add(int index, JsonElement element, List<EventItem> events, List<EventError> errors)
    {
        if (ChatEventParser.TryParse(element, out var chatEvent, out var error))
        {
            events.Add(new EventItem(index, System.Text.Encoding.UTF8.GetBytes(element.GetRawText()), chatEvent));
        }
        else
        {
            var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idElement)
                && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            errors.Add(new EventError(index, id, error));
        }
    }
}
