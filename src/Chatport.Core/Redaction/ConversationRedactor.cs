using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatport.Redaction;

/// <summary>
/// Applies a destination's redaction to a conversation's JSON: masks what <c>redact</c> names in every message's
/// <c>content</c>, and empties the visitor fields <c>redactVisitor</c> names (null; <c>variables</c> becomes
/// <c>{}</c>; the keys stay, as the contract has them). Everything else — keys, their order, numbers as written, values of any type — is kept; the result is
/// compact JSON. With nothing to redact the body is returned as it is, byte for byte.
/// </summary>
public static class ConversationRedactor
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> body, IReadOnlyCollection<string> redact, IReadOnlyCollection<string> redactVisitor)
    {
        if (redact.Count == 0 && redactVisitor.Count == 0)
        {
            return body;
        }
        if (JsonNode.Parse(body.Span) is not JsonObject conversation)
        {
            return body;
        }
        if (redact.Count > 0 && conversation["messages"] is JsonArray messages)
        {
            foreach (var message in messages.OfType<JsonObject>())
            {
                if (message["content"] is JsonValue content && content.TryGetValue<string>(out var text))
                {
                    var redacted = ContentRedactor.Redact(text, redact);
                    if (redacted != text)
                    {
                        message["content"] = redacted;
                    }
                }
            }
        }
        if (redactVisitor.Count > 0 && conversation["visitor"] is JsonObject visitor)
        {
            foreach (var field in redactVisitor)
            {
                if (visitor.ContainsKey(field))
                {
                    visitor[field] = field == "variables" ? new JsonObject() : null; // variables is {} when there are none
                }
            }
        }
        var buffer = new ArrayBufferWriter<byte>(body.Length);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            conversation.WriteTo(writer);
        }
        return buffer.WrittenMemory;
    }
}
