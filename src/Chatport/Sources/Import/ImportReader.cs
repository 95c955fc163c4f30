using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Chatport.Api;
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

/// <summary>What a request's body holds: its conversations, or why it is refused.</summary>
/// <param name="Items">The conversations; empty when any is invalid (the request is refused whole).</param>
/// <param name="Errors">The invalid ones (the first 100, and how many in all).</param>
/// <param name="Count">How many conversations the body holds, when it holds more than the limit.</param>
/// <param name="TooMany">More conversations than a request may hold: refused before the rest were read.</param>
internal sealed record ImportBatch(List<ImportItem> Items, ErrorList<ImportError> Errors, int Count = 0, bool TooMany = false);

/// <summary>
/// Reads <c>POST /v1/conversations</c>: one seed-format conversation, or an array of them. Each must name
/// its <c>accountId</c> and <c>channel.id</c>; any invalid one makes the request invalid.
/// </summary>
/// <remarks>
/// A body is read in one pass of <see cref="ContractScanner"/>, which checks each conversation against the contract
/// without building it. A conversation it cannot vouch for (older generation, unusual keys) is parsed in full; a body
/// with anything invalid is read again the full way, which finds and words every error: it counts the array's elements
/// before it reads any, and past the first invalid one keeps only the first 100 errors and a count. A body that names a
/// conversation's account or chat twice is invalid (<see cref="ContractJson.ParseInbound"/>).
/// </remarks>
internal static class ImportReader
{
    /// <param name="maxItems">The most conversations a request may hold.</param>
    public static ImportBatch Read(ReadOnlyMemory<byte> body, int maxItems = int.MaxValue) =>
        Scan(body, maxItems) ?? ReadFully(body, maxItems);

    /// <summary>The conversations of a body that is certainly valid (or too many of them), or null.</summary>
    private static ImportBatch? Scan(ReadOnlyMemory<byte> body, int maxItems)
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
                    if (items.Count == maxItems)
                    {
                        return TooMany(ref reader, maxItems);
                    }
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
            return !reader.Read() && items.Count > 0 ? new ImportBatch(items, new ErrorList<ImportError>()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The reader is on the element past the limit: the rest are counted, not read.</summary>
    private static ImportBatch TooMany(ref Utf8JsonReader reader, int counted)
    {
        do
        {
            counted++;
            reader.Skip();
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);
        return new ImportBatch([], new ErrorList<ImportError>(), counted, TooMany: true);
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
            item = head is null ? Parsed(items.Count, ContractJson.ParseInbound(raw, wellFormed: true), raw) : new ImportItem(items.Count, head, raw, null);
        }
        catch (ContractException)
        {
            return false;
        }
        if (!HasAccount(item.Head.AccountId))
        {
            return false;
        }
        items.Add(item);
        return true;
    }

    /// <summary>An item from a conversation parsed in full: its head, and what destinations get if it is of the older generation.</summary>
    private static ImportItem Parsed(int index, Conversation conversation, byte[] raw) =>
        new(index, ConversationHead.Of(conversation), raw, ConversationRecords.ExportBodyOf(conversation));

    private static bool HasAccount(Optional<long> accountId) => accountId.HasValue && accountId.Value > 0;

    /// <summary>The full way: every conversation built, every error found and worded.</summary>
    private static ImportBatch ReadFully(ReadOnlyMemory<byte> body, int maxItems)
    {
        var items = new List<ImportItem>();
        var errors = new ErrorList<ImportError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = ContractJson.MaxDepth + 1 });
        }
        catch (JsonException e)
        {
            errors.Add(new ImportError(0, JsonErrors.NotJson(e), "$"));
            return new ImportBatch(items, errors);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() is var count && count > maxItems)
                {
                    return new ImportBatch([], errors, count, TooMany: true);
                }
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
        return new ImportBatch(errors.Count > 0 ? [] : items, errors);
    }

    private static void Add(int index, JsonElement element, bool wellFormed, List<ImportItem> items, ErrorList<ImportError> errors)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        try
        {
            var conversation = ContractJson.ParseInbound(raw, wellFormed);
            if (!HasAccount(conversation.AccountId))
            {
                Refuse(errors, index, "Missing $.accountId (a positive integer): an imported conversation must say whose it is.", "$.accountId");
                return;
            }
            if (errors.Count == 0)
            {
                // Once one is invalid the request is refused: the rest are only checked, to be counted, and not copied.
                items.Add(Parsed(index, conversation, raw.ToArray()));
            }
        }
        catch (ContractException e)
        {
            Refuse(errors, index, e.Message, e.Path);
        }
    }

    private static void Refuse(ErrorList<ImportError> errors, int index, string error, string? path)
    {
        if (errors.IsFull)
        {
            errors.Skip();
        }
        else
        {
            errors.Add(new ImportError(index, error, path));
        }
    }
}
