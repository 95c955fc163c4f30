using System.Runtime.InteropServices;
using System.Text.Json;
using Chatport.Api;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Sources.Events;

/// <summary>What a request's body holds: its events, or why it is refused.</summary>
/// <param name="Events">The events, in request order; empty once any error is found (the request is refused whole).</param>
/// <param name="Errors">The invalid events (the first 100, and how many in all).</param>
/// <param name="Count">How many events the body holds; past the limit, none of them was read.</param>
/// <param name="TooMany">More events than a request may hold: refused before any was validated.</param>
internal sealed record EventBatch(List<EventItem> Events, ErrorList<EventError> Errors, int Count, bool TooMany);

/// <summary>
/// Splits a <c>POST /v1/events</c> body — a JSON array, one JSON object, or NDJSON — into events, and
/// validates each. Any invalid event makes the whole request invalid (nothing is stored), so a client bug
/// never leaves half a batch behind.
/// </summary>
/// <remarks>
/// Bounded whatever the body: the events are counted before any is validated (more than the limit is refused at
/// once), and past the first invalid one nothing is kept but the first 100 errors and a count.
/// </remarks>
internal static class EventBatchReader
{
    // A key given twice is refused (readers disagree about which value counts: the account scope would check one and
    // another reader of the stored event could see the other).
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    // Comparing keys decodes them: a key that is not text makes that throw. Read again without the comparison; the
    // text check then names the key (and the body is refused for it).
    private static readonly JsonDocumentOptions KeysNotCompared = new() { MaxDepth = 64 };

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (InvalidOperationException)
        {
            return JsonDocument.Parse(json, KeysNotCompared);
        }
    }

    public static bool IsNdjson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase));

    /// <summary>The events, or the errors (at least one) that make the request invalid.</summary>
    /// <param name="maxEvents">The most events a request may hold.</param>
    /// <param name="body">Not kept: every event's bytes are copied out of it.</param>
    public static EventBatch Read(ReadOnlyMemory<byte> body, bool ndjson, int maxEvents)
    {
        var batch = new Reading(new List<EventItem>(), new ErrorList<EventError>(), JsonText.MayHoldUndecodable(body.Span));
        var count = ndjson ? ReadLines(body, maxEvents, batch) : ReadJson(body, maxEvents, batch);
        if (count > maxEvents)
        {
            return new EventBatch([], batch.Errors, count, TooMany: true);
        }
        if (batch.Events.Count == 0 && batch.Errors.Count == 0)
        {
            batch.Errors.Add(new EventError(0, null, "The body holds no event; send a JSON array of events (or NDJSON, one event a line)."));
        }
        return new EventBatch(batch.Errors.Count > 0 ? [] : batch.Events, batch.Errors, count, TooMany: false);
    }

    /// <summary>What reading a body gathers; <paramref name="Suspect"/>: it may hold a string that is not text.</summary>
    private sealed record Reading(List<EventItem> Events, ErrorList<EventError> Errors, bool Suspect);

    /// <returns>How many events the body holds.</returns>
    private static int ReadJson(ReadOnlyMemory<byte> body, int maxEvents, Reading batch)
    {
        JsonDocument document;
        try
        {
            document = Parse(body);
        }
        catch (JsonException e)
        {
            batch.Errors.Add(new EventError(0, null, JsonErrors.NotJson(e)));
            return 0;
        }
        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    var count = root.GetArrayLength();
                    if (count > maxEvents)
                    {
                        return count;
                    }
                    var index = 0;
                    foreach (var element in root.EnumerateArray())
                    {
                        Add(index++, element, batch);
                    }
                    return count;
                case JsonValueKind.Object:
                    Add(0, root, batch);
                    return 1;
                default:
                    batch.Errors.Add(new EventError(0, null, "The body must be a JSON array of events (or one event object, or NDJSON)."));
                    return 0;
            }
        }
    }

    /// <returns>How many events (lines that are not blank) the body holds.</returns>
    private static int ReadLines(ReadOnlyMemory<byte> body, int maxEvents, Reading batch)
    {
        var count = 0;
        foreach (var _ in Lines(body))
        {
            count++;
        }
        if (count > maxEvents)
        {
            return count;
        }
        var index = 0;
        foreach (var (line, text) in Lines(body))
        {
            try
            {
                using var document = Parse(text);
                Add(index, document.RootElement, batch);
            }
            catch (JsonException e)
            {
                if (batch.Errors.IsFull)
                {
                    batch.Errors.Skip();
                }
                else
                {
                    batch.Errors.Add(new EventError(index, null, $"Line {line} is not valid JSON: {JsonErrors.WithoutPath(e.Message)}"));
                }
            }
            index++;
        }
        return count;
    }

    /// <summary>The lines of an NDJSON body that are not blank, with their line numbers (from 1).</summary>
    private static IEnumerable<(int Line, ReadOnlyMemory<byte> Text)> Lines(ReadOnlyMemory<byte> body)
    {
        var rest = body;
        var line = 0;
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.Span.IndexOf((byte)'\n');
            var text = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (!text.Span.Trim(" \t\r"u8).IsEmpty)
            {
                yield return (line, text);
            }
        }
    }

    private static void Add(int index, JsonElement element, Reading batch)
    {
        // A string that is not text parses, and throws wherever it is read (the tracker's state, the store): find it first.
        if (batch.Suspect && JsonText.FirstUndecodable(element) is { } undecodable)
        {
            Refuse(batch.Errors, index, element, undecodable);
            return;
        }
        if (!ChatEventParser.TryParse(element, out var chatEvent, out var error))
        {
            Refuse(batch.Errors, index, element, error);
            return;
        }
        if (batch.Errors.Count == 0)
        {
            // Once one event is invalid the request is refused: the rest are only validated, to be counted.
            // The event's bytes as sent (every string in them decodes: checked above when the body was suspect).
            batch.Events.Add(new EventItem(index, JsonMarshal.GetRawUtf8Value(element).ToArray(), chatEvent));
        }
    }

    /// <summary>Counts an invalid event; keeps its error only while the list shown is not full.</summary>
    private static void Refuse(ErrorList<EventError> errors, int index, JsonElement element, string error)
    {
        if (errors.IsFull)
        {
            errors.Skip();
            return;
        }
        errors.Add(new EventError(index, IdOf(element), error));
    }

    private static string? IdOf(JsonElement element)
    {
        try
        {
            return element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (InvalidOperationException)
        {
            return null; // an id that is not text (its error says so)
        }
    }
}
