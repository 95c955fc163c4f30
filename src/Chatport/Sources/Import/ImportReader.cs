using System.Runtime.InteropServices;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Sources.Import;

/// <summary>One conversation of an import, with the exact bytes it came as.</summary>
internal sealed record ImportItem(int Index, long AccountId, long ChatId, Conversation Conversation, byte[] Raw);

/// <summary>
/// Reads <c>POST /v1/conversations</c>: one seed-format conversation, or an array of them. Each must name
/// its <c>accountId</c> and <c>channel.id</c>; any invalid one makes the request invalid.
/// </summary>
internal static class ImportReader
{
    public static (List<ImportItem> Items, List<ImportError> Errors) Read(byte[] body)
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
            errors.Add(new ImportError(0, $"The body is not valid JSON: {JsonErrors.WithoutPath(e.Message)} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", "$"));
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
            var conversation = wellFormed ? ContractJson.ParseWellFormed(raw) : ContractJson.Parse(raw);
            if (!conversation.AccountId.HasValue || conversation.AccountId.Value <= 0)
            {
                errors.Add(new ImportError(index, "Missing $.accountId (a positive integer): an imported conversation must say whose it is.", "$.accountId"));
                return;
            }
            items.Add(new ImportItem(index, conversation.AccountId.Value, conversation.Channel!.Id.Value, conversation, raw));
        }
        catch (ContractException e)
        {
            errors.Add(new ImportError(index, e.Message, e.Path));
        }
    }
}
