using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Chatport.Contract;
using Chatport.Conversations;

namespace Chatport.Sources.Import;

/// <summary>One conversation of an import: what filing it needs, and the exact bytes it came as.</summary>
/// <param name="ExportBody">What destinations receive instead of <paramref name="Raw"/> (older generation), else null.</param>
/// <param name="Raw">The conversation's bytes, copied out of the request's body (a pooled buffer that later requests reuse).</param>
internal sealed record ImportItem(int Index, ConversationHead Head, ReadOnlyMemory<byte> Raw, ReadOnlyMemory<byte>? ExportBody)
{
    public long AccountId => Head.AccountId.Value;

    public long ChatId => Head.ChatId;
}

/// <summary>
/// Reads <c>POST /v1/conversations</c>: one seed-format conversation, or an array of them. Each must name
/// its <c>accountId</c> and <c>channel.id</c>; any invalid one makes the request invalid.
/// </summary>
/// <remarks>
/// A body is read in one pass of <see cref="ContractScanner"/>, which checks each conversation against the contract
/// without building it. A conversation it cannot vouch for (older generation, unusual keys) is parsed in full; a body
/// with anything invalid is read again the full way, which finds and words every error.
/// </remarks>
internal static class ImportReader
{
    public static (List<ImportItem> Items, List<ImportError> Errors) Read(ReadOnlyMemory<byte> body) =>
        Scan(body) is { } items ? (items, []) : ReadFully(body);

    /// <summary>The conversations of a body that is certainly valid, or null.</summary>
    private static List<ImportItem>? Scan(ReadOnlyMemory<byte> body)
    {
        if (!Utf8.IsValid(body.Span))
        {
            return null;
        }
        var trimmed = body.Span.TrimStart(" \t\r\n"u8);
        var array = !trimmed.IsEmpty && trimmed[0] == (byte)'[';
        // A lone conversation may nest as deep as the contract allows; an array's elements one level deeper.
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = ContractJson.MaxDepth + (array ? 1 : 0) });
        var items = new List<ImportItem>();
        try
        {
            if (!reader.Read())
            {
                return null;
            }
            if (array)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryAdd(ref reader, body, items))
                    {
                        return null;
                    }
                }
            }
            else if (!TryAdd(ref reader, body, items))
            {
                return null;
            }
            // Past the end: nothing may follow the root (the reader throws on anything but whitespace).
            return !reader.Read() && items.Count > 0 ? items : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryAdd(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, List<ImportItem> items)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var start = (int)reader.TokenStartIndex;
        var head = ContractScanner.Scan(ref reader);
        var raw = body.Slice(start, (int)reader.BytesConsumed - start).ToArray();
        ImportItem item;
        try
        {
            item = head is null ? Parsed(items.Count, ContractJson.ParseWellFormed(raw), raw) : new ImportItem(items.Count, head, raw, null);
        }
        catch (ContractException)
        {
            return false;
        }
        if (!HasAccount(item.Head))
        {
            return false;
        }
        items.Add(item);
        return true;
    }

    /// <summary>An item from a conversation parsed in full: its head, and what destinations get if it is of the older generation.</summary>
    private static ImportItem Parsed(int index, Conversation conversation, byte[] raw) =>
        new(index, ConversationHead.Of(conversation), raw, ConversationRecords.ExportBodyOf(conversation));

    private static bool HasAccount(ConversationHead head) => head.AccountId.HasValue && head.AccountId.Value > 0;

    /// <summary>The full way: every conversation built, every error found and worded.</summary>
    private static (List<ImportItem> Items, List<ImportError> Errors) ReadFully(ReadOnlyMemory<byte> body)
    {
        var items = new List<ImportItem>();
        var errors = new List<ImportError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = ContractJson.MaxDepth + 1 });
        }
        catch (JsonException e)
        {
            errors.Add(new ImportError(0, JsonErrors.NotJson(e), "$"));
            return (items, errors);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    Add(index++, element, wellFormed: true, items, errors);
                }
            }
            else
            {
                // A lone root was read with one level more than a conversation may have: check it in full.
                Add(0, root, wellFormed: false, items, errors);
            }
        }
        if (items.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ImportError(0, "The array is empty; send at least one conversation.", "$"));
        }
        return (items, errors);
    }

    private static void Add(int index, JsonElement element, bool wellFormed, List<ImportItem> items, List<ImportError> errors)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element).ToArray();
        try
        {
            var item = Parsed(index, wellFormed ? ContractJson.ParseWellFormed(raw) : ContractJson.Parse(raw), raw);
            if (!HasAccount(item.Head))
            {
                errors.Add(new ImportError(index, "Missing $.accountId (a positive integer): an imported conversation must say whose it is.", "$.accountId"));
                return;
            }
            items.Add(item);
        }
        catch (ContractException e)
        {
            errors.Add(new ImportError(index, e.Message, e.Path));
        }
    }
}
