using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Reads and validates one live event (docs/architecture.md, "The tracker's rules"). Every failure is a clear English sentence that
/// names the field with a JSONPath relative to the event (<c>$</c> is the event itself).
/// </summary>
/// <remarks>
/// Unknown top-level keys, and the bodies of other types than the event's own, are ignored. Unknown keys inside a
/// message, a page, the visitor or one of its variables are kept in that object's <c>Extra</c>. Every
/// <see cref="JsonElement"/> kept is cloned, so the event outlives the document it was read from.
/// </remarks>
public static class ChatEventParser
{
    /// <summary>The longest accepted event <c>id</c>, in UTF-16 code units.</summary>
    public const int MaxIdLength = 200;

    private const string EventTypes = "visitor, page, message, rating, close, offline";
    private const string MessageTypes = "visitor, agent, system";
    private const string Closers = "visitor, agent, system";
    private const int MaxShownLength = 60;

    /// <summary>Parses one event, a JSON object.</summary>
    /// <param name="element">The event.</param>
    /// <param name="chatEvent">The validated event, when it is one.</param>
    /// <param name="error">
    /// Why it is not, naming the field, e.g. <c>$.chatId is required (an integer &gt; 0)</c> or
    /// <c>$.type must be one of visitor, page, message, rating, close, offline, not "typing"</c>.
    /// </param>
    /// <returns>Whether <paramref name="element"/> is a valid event.</returns>
    /// <remarks>
    /// It checks the strings it reads; one it does not read (an unknown key's value, kept in <c>Extra</c>) may still not
    /// be text: a caller whose body <see cref="JsonText.MayHoldUndecodable"/> checks the event with
    /// <see cref="JsonText.FirstUndecodable"/> first.
    /// </remarks>
    public static bool TryParse(
        JsonElement element,
        [NotNullWhen(true)] out ChatEvent? chatEvent,
        [NotNullWhen(false)] out string? error)
    {
        try
        {
            error = Parse(element, out chatEvent);
        }
        catch (InvalidOperationException)
        {
            // A string that is not text (bytes that are not UTF-8, a lone surrogate): say which one, never throw.
            chatEvent = null;
            error = JsonText.FirstUndecodable(element) ?? "$ holds a string that is not text";
        }
        return error is null;
    }

    private static string? Parse(JsonElement element, out ChatEvent? chatEvent)
    {
        chatEvent = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"$ must be an event (a JSON object), not {Show(element)}";
        }

        if (!element.TryGetProperty("id", out var idElement))
        {
            return $"$.id is required (a non-empty string of at most {MaxIdLength} characters)";
        }

        var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : null;
        if (id is null || id.Length == 0 || id.Length > MaxIdLength)
        {
            return $"$.id must be a non-empty string of at most {MaxIdLength} characters, not {Show(idElement)}";
        }

        if (ReadInteger(element, "accountId", 1, "an integer > 0", out var accountId) is { } accountError)
        {
            return accountError;
        }

        if (ReadInteger(element, "chatId", 1, "an integer > 0", out var chatId) is { } chatError)
        {
            return chatError;
        }

        if (ReadInteger(element, "at", 0, "an integer >= 0, epoch milliseconds", out var at) is { } atError)
        {
            return atError;
        }

        if (!element.TryGetProperty("type", out var typeElement))
        {
            return $"$.type is required (one of {EventTypes})";
        }

        ChatEventType? typeOrNull = typeElement.ValueKind == JsonValueKind.String ? ParseEventType(typeElement) : null;
        if (typeOrNull is not { } type)
        {
            return $"$.type must be one of {EventTypes}, not {Show(typeElement)}";
        }

        Visitor? visitor = null;
        if (element.TryGetProperty("visitor", out var visitorElement) && visitorElement.ValueKind != JsonValueKind.Null)
        {
            if (ParseVisitor(visitorElement, "$.visitor", out visitor) is { } visitorError)
            {
                return visitorError;
            }
        }

        Message? message = null;
        PagePath? page = null;
        int? rating = null;
        string? ratingDesc = null;
        CloseBy? closeBy = null;
        string? closeName = null;
        string? bodyError;
        switch (type)
        {
            case ChatEventType.Visitor:
                bodyError = visitor is null ? "$.visitor is required for type visitor (an object of visitor fields)" : null;
                break;
            case ChatEventType.Page:
                bodyError = Body(element, "page", out var pageElement) ?? ParsePage(pageElement, "$.page", out page);
                break;
            case ChatEventType.Message:
                bodyError = Body(element, "message", out var messageElement)
                    ?? ParseMessage(messageElement, "$.message", offline: false, out message);
                break;
            case ChatEventType.Rating:
                bodyError = Body(element, "rating", out var ratingElement)
                    ?? ParseRating(ratingElement, "$.rating", out rating, out ratingDesc);
                break;
            case ChatEventType.Close:
                bodyError = Body(element, "close", out var closeElement)
                    ?? ParseClose(closeElement, "$.close", out closeBy, out closeName);
                break;
            default:
                bodyError = Body(element, "offline", out var offlineElement)
                    ?? ParseMessage(offlineElement, "$.offline", offline: true, out message);
                break;
        }

        if (bodyError is not null)
        {
            return bodyError;
        }

        chatEvent = new ChatEvent
        {
            Id = id,
            AccountId = accountId,
            ChatId = chatId,
            At = at,
            Type = type,
            Visitor = visitor,
            Message = message,
            Page = page,
            Rating = rating,
            RatingDesc = ratingDesc,
            CloseBy = closeBy,
            CloseName = closeName,
        };
        return null;
    }

    private static ChatEventType? ParseEventType(JsonElement element) =>
        element.ValueEquals("visitor"u8) ? ChatEventType.Visitor
        : element.ValueEquals("page"u8) ? ChatEventType.Page
        : element.ValueEquals("message"u8) ? ChatEventType.Message
        : element.ValueEquals("rating"u8) ? ChatEventType.Rating
        : element.ValueEquals("close"u8) ? ChatEventType.Close
        : element.ValueEquals("offline"u8) ? ChatEventType.Offline
        : null;

    private static string? ReadInteger(JsonElement element, string name, long minimum, string expected, out long value)
    {
        value = 0;
        if (!element.TryGetProperty(name, out var property))
        {
            return $"$.{name} is required ({expected})";
        }

        if (property.ValueKind != JsonValueKind.Number || !property.TryGetInt64(out value) || value < minimum)
        {
            return $"$.{name} must be {expected}, not {Show(property)}";
        }

        return null;
    }

    /// <summary>The body of a type: the object under the key named after it.</summary>
    private static string? Body(JsonElement element, string name, out JsonElement body)
    {
        if (!element.TryGetProperty(name, out body) || body.ValueKind == JsonValueKind.Null)
        {
            return $"$.{name} is required for type {name}";
        }

        return body.ValueKind == JsonValueKind.Object ? null : $"$.{name} must be an object, not {Show(body)}";
    }

    private static string? ParseMessage(JsonElement element, string path, bool offline, out Message? message)
    {
        message = null;
        var result = new Message();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type":
                    if (value.ValueKind != JsonValueKind.String
                        || !(value.ValueEquals("visitor"u8) || value.ValueEquals("agent"u8) || value.ValueEquals("system"u8)))
                    {
                        return $"{path}.type must be one of {MessageTypes}, not {Show(value)}";
                    }

                    result.Type = value.GetString();
                    break;
                case "name":
                    if (StringOrNull(value, path, "name", out var name) is { } nameError)
                    {
                        return nameError;
                    }

                    result.Name = name;
                    break;
                case "from":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return $"{path}.from must be a string (visitor:TOKEN, agent:ID or system), not {Show(value)}";
                    }

                    result.From = value.GetString();
                    break;
                case "content":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return $"{path}.content must be a string, not {Show(value)}";
                    }

                    result.Content = value.GetString();
                    break;
                case "sentAt":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        result.SentAt = default;
                    }
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var sentAt) && sentAt >= 0)
                    {
                        result.SentAt = sentAt;
                    }
                    else
                    {
                        return $"{path}.sentAt must be an integer >= 0, epoch milliseconds (or absent for the event's at), not {Show(value)}";
                    }

                    break;
                case "triggeredBy":
                    if (StringOrNull(value, path, "triggeredBy", out var trigger) is { } triggerError)
                    {
                        return triggerError;
                    }

                    result.TriggeredBy = trigger;
                    break;
                default:
                    result.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    result.Extra[property.Name] = value.Clone();
                    break;
            }
        }

        if (!result.Type.HasValue)
        {
            return offline
                ? $"{path}.type is required (\"visitor\": an offline message is the visitor's)"
                : $"{path}.type is required (one of {MessageTypes})";
        }

        if (offline && !string.Equals(result.Type.Value, "visitor", StringComparison.Ordinal))
        {
            return $"{path}.type must be \"visitor\" (an offline message is the visitor's), not \"{result.Type.Value}\"";
        }

        if (!result.From.HasValue)
        {
            return $"{path}.from is required (a string: visitor:TOKEN, agent:ID or system)";
        }

        if (!result.Content.HasValue)
        {
            return $"{path}.content is required (a string)";
        }

        message = result;
        return null;
    }

    private static string? ParsePage(JsonElement element, string path, out PagePath? page)
    {
        page = null;
        var result = new PagePath();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "url":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return $"{path}.url must be a string, not {Show(value)}";
                    }

                    result.Url = value.GetString();
                    break;
                case "title":
                    if (StringOrNull(value, path, "title", out var title) is { } titleError)
                    {
                        return titleError;
                    }

                    result.Title = title;
                    break;
                default:
                    result.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    result.Extra[property.Name] = value.Clone();
                    break;
            }
        }

        if (!result.Url.HasValue)
        {
            return $"{path}.url is required (a string)";
        }

        page = result;
        return null;
    }

    private static string? ParseRating(JsonElement element, string path, out int? rating, out string? ratingDesc)
    {
        rating = null;
        ratingDesc = null;
        if (!element.TryGetProperty("rating", out var value))
        {
            return $"{path}.rating is required (an integer)";
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return $"{path}.rating must be an integer, not {Show(value)}";
        }

        if (!value.TryGetInt32(out var integer))
        {
            // A fraction or an exponent is not an integer (like every integer of an event); digits alone are out of range.
            return value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') >= 0
                ? $"{path}.rating must be an integer, not {Show(value)}"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}.rating must be an integer from {int.MinValue} to {int.MaxValue}, not {Show(value)}");
        }

        if (element.TryGetProperty("ratingDesc", out var desc) && StringOrNull(desc, path, "ratingDesc", out ratingDesc) is { } descError)
        {
            return descError;
        }

        rating = integer;
        return null;
    }

    private static string? ParseClose(JsonElement element, string path, out CloseBy? closeBy, out string? closeName)
    {
        closeBy = null;
        closeName = null;
        if (!element.TryGetProperty("by", out var by))
        {
            return $"{path}.by is required (one of {Closers})";
        }

        closeBy = by.ValueKind != JsonValueKind.String ? null
            : by.ValueEquals("visitor"u8) ? CloseBy.Visitor
            : by.ValueEquals("agent"u8) ? CloseBy.Agent
            : by.ValueEquals("system"u8) ? CloseBy.System
            : null;
        if (closeBy is null)
        {
            return $"{path}.by must be one of {Closers}, not {Show(by)}";
        }

        if (element.TryGetProperty("name", out var name) && StringOrNull(name, path, "name", out closeName) is { } nameError)
        {
            return nameError;
        }

        return null;
    }

    private static string? ParseVisitor(JsonElement element, string path, out Visitor? visitor)
    {
        visitor = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"{path} must be an object of visitor fields, not {Show(element)}";
        }

        var result = new Visitor();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            switch (name)
            {
                case "id":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        result.Id = new Optional<long?>(null);
                    }
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id))
                    {
                        result.Id = id;
                    }
                    else
                    {
                        return $"{path}.id must be an integer or null, not {Show(value)}";
                    }

                    break;
                case "name" or "email" or "note" or "group" or "ipAddress" or "city" or "countryCode" or "country"
                    or "userAgent" or "platform" or "referer":
                    if (StringOrNull(value, path, name, out var text) is { } textError)
                    {
                        return textError;
                    }

                    SetText(result, name, text);
                    break;
                case "variables":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        // Nothing to merge: variables are merged key by key and exported as {} when none.
                        break;
                    }

                    if (ParseVariables(value, $"{path}.variables", out var variables) is { } variablesError)
                    {
                        return variablesError;
                    }

                    result.Variables = variables;
                    break;
                default:
                    result.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    result.Extra[name] = value.Clone();
                    break;
            }
        }

        visitor = result;
        return null;
    }

    private static void SetText(Visitor visitor, string name, string? text)
    {
        switch (name)
        {
            case "name": visitor.Name = text; break;
            case "email": visitor.Email = text; break;
            case "note": visitor.Note = text; break;
            case "group": visitor.Group = text; break;
            case "ipAddress": visitor.IpAddress = text; break;
            case "city": visitor.City = text; break;
            case "countryCode": visitor.CountryCode = text; break;
            case "country": visitor.Country = text; break;
            case "userAgent": visitor.UserAgent = text; break;
            case "platform": visitor.Platform = text; break;
            default: visitor.Referer = text; break;
        }
    }

    private static string? ParseVariables(JsonElement element, string path, out Dictionary<string, Variable>? variables)
    {
        variables = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"{path} must be an object of {{label, value}} objects, not {Show(element)}";
        }

        var result = new Dictionary<string, Variable>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var variablePath = Member(path, property.Name);
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                return $"{variablePath} must be an object {{label, value}}, not {Show(property.Value)}";
            }

            var variable = new Variable();
            foreach (var field in property.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "label":
                        if (StringOrNull(field.Value, variablePath, "label", out var label) is { } labelError)
                        {
                            return labelError;
                        }

                        variable.Label = label;
                        break;
                    case "value":
                        variable.Value = field.Value.Clone();
                        break;
                    default:
                        variable.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                        variable.Extra[field.Name] = field.Value.Clone();
                        break;
                }
            }

            result[property.Name] = variable;
        }

        variables = result;
        return null;
    }

    private static string? StringOrNull(JsonElement value, string path, string name, out string? text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString();
                return null;
            case JsonValueKind.Null:
                text = null;
                return null;
            default:
                text = null;
                return $"{path}.{name} must be a string or null, not {Show(value)}";
        }
    }

    private static string Member(string path, string name) => JsonText.Member(path, name);

    /// <summary>A short rendering of a wrong value for an error: the JSON text of a scalar, the kind of a container.</summary>
    private static string Show(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return "an object";
            case JsonValueKind.Array:
                return "an array";
            default:
                var text = value.GetRawText();
                return text.Length <= MaxShownLength ? text : string.Concat(text.AsSpan(0, MaxShownLength), "…");
        }
    }
}
