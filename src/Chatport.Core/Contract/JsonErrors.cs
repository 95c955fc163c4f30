using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>
/// Where a <see cref="JsonException"/> happened and what it says, in plain words: every JSON error an answer
/// carries is worded here, with the field's path and never a .NET type or member name.
/// </summary>
public static class JsonErrors
{
    /// <summary>
    /// The full JSONPath of the error, joining the paths of nested deserializations
    /// (each reports its path from its own root).
    /// </summary>
    public static string? PathOf(JsonException exception)
    {
        var path = exception.Path;
        for (var inner = exception.InnerException as JsonException; inner is not null; inner = inner.InnerException as JsonException)
        {
            if (inner.Path is { Length: > 1 } innerPath && innerPath[0] == '$')
            {
                path = (path ?? "$") + innerPath[1..];
            }
        }
        return path;
    }

    /// <summary>The innermost message, without its " Path: … | LineNumber: …" tail.</summary>
    public static string MessageOf(JsonException exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is JsonException inner)
        {
            innermost = inner;
        }
        return WithoutPath(innermost.Message);
    }

    /// <summary>A serializer message without its " Path: …" tail.</summary>
    public static string WithoutPath(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }

    /// <summary><c>unknown field `to`; this request takes: name, plan, inactivityTimeoutSeconds.</c></summary>
    /// <param name="field">The field's path, as the client wrote it (<c>to</c>, <c>headers.x</c>).</param>
    /// <param name="accepted">The JSON names of the fields the object takes, in order.</param>
    public static string UnknownField(string field, IEnumerable<string> accepted)
    {
        var names = string.Join(", ", accepted);
        return names.Length == 0
            ? $"unknown field `{field}`; this request takes no fields."
            : $"unknown field `{field}`; this request takes: {names}.";
    }

    /// <summary><c>the value of `plan` must be a string</c>; <paramref name="kind"/> as <see cref="KindOf(Type)"/> words it.</summary>
    public static string MustBe(string field, string kind) => $"the value of `{field}` must be {kind}";

    /// <summary><c>the value of `plan` is not valid</c>, when what it must be is not known.</summary>
    public static string NotValid(string field) => $"the value of `{field}` is not valid";

    /// <summary><c>`limit` is required</c>.</summary>
    public static string Required(string field) => $"`{field}` is required";

    /// <summary><c>The body must be a JSON object.</c></summary>
    public static string BodyMustBe(string kind) => $"The body must be {kind}.";

    public const string EmptyBody = "The body is empty; send a JSON object.";

    /// <summary>For a body that is JSON but not what the request takes, when nothing more precise is known.</summary>
    public const string BodyNotValid = "The body is not valid for this request.";

    /// <summary>A syntax error found by the reader: the body is not JSON at all.</summary>
    public static string NotJson(JsonException exception)
    {
        var reason = MessageOf(exception);
        if (reason.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "The body is not valid JSON: it is empty.";
        }
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"The body is not valid JSON: {reason} (line {line + 1}, byte {position + 1})."
            : $"The body is not valid JSON: {reason}";
    }

    /// <summary>
    /// What a value must be, in words: <c>a string</c>, <c>a whole number from … to …</c>, <c>true or false</c>,
    /// <c>an array</c>, <c>an object</c>…
    /// </summary>
    public static string KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) => $"a whole number from {int.MinValue} to {int.MaxValue}",
            _ when type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time such as 2026-01-31T09:30:00Z",
            _ when type == typeof(DateOnly) => "a date such as 2026-01-31",
            _ when type == typeof(TimeSpan) => "a duration such as 00:30:00",
            _ when type == typeof(Guid) => "a UUID",
            _ when type.IsEnum => "one of the documented values",
            _ when type.IsArray || (type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable))) => "an array",
            _ => "an object",
        };
    }

    /// <summary>What a value of this JSON contract must be; see <see cref="KindOf(Type)"/>.</summary>
    public static string KindOf(JsonTypeInfo info) => info.Kind switch
    {
        JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Object => "an object",
        JsonTypeInfoKind.Enumerable => "an array",
        _ => KindOf(info.Type),
    };

    /// <summary>The JSON names of the fields an object takes, in declaration order.</summary>
    public static IEnumerable<string> FieldsOf(JsonTypeInfo info) =>
        info.Kind == JsonTypeInfoKind.Object ? info.Properties.Select(p => p.Name) : [];

    /// <summary>
    /// The error of a body that did not deserialize into <paramref name="body"/> (the request's contract, when known),
    /// in plain words: unknown field, wrong type (what the value must be), or not JSON at all.
    /// </summary>
    public static JsonError Explain(JsonException exception, JsonTypeInfo? body)
    {
        if (IsSyntaxError(exception))
        {
            return new JsonError(null, NotJson(exception));
        }
        var segments = JsonPathSegments.Parse(PathOf(exception));
        var field = segments.Length == 0 ? null : JsonPathSegments.Format(segments);
        var converting = MessageOf(exception).Contains("could not be converted", StringComparison.Ordinal);
        switch (body is null ? default : JsonPathSegments.Walk(body, segments))
        {
            case { Unknown: { } parent, UnknownAt: var at }:
                var unknown = JsonPathSegments.Format(segments.AsSpan(0, at + 1));
                return new JsonError(unknown, UnknownField(unknown, FieldsOf(parent)));
            case { Found: { } found } when converting:
                return field is null ? new JsonError(null, BodyMustBe(found.Kind == JsonTypeInfoKind.Object ? "a JSON object" : KindOf(found)))
                    : new JsonError(field, MustBe(field, KindOf(found)));
            default:
                return field is null ? new JsonError(null, BodyNotValid) : new JsonError(field, NotValid(field));
        }
    }

    /// <summary>The reader's errors are its own exception type (a <see cref="JsonException"/>); the serializer's are plain ones.</summary>
    private static bool IsSyntaxError(JsonException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException && e.GetType() != typeof(JsonException))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>A JSON error in plain words.</summary>
/// <param name="Field">The field's path (<c>plan</c>, <c>headers.x</c>, <c>kinds[0]</c>); null for the body as a whole.</param>
/// <param name="Message">What is wrong with it: a fragment for a field (<c>unknown field `to`; …</c>), a sentence for the body.</param>
public readonly record struct JsonError(string? Field, string Message)
{
    /// <summary>The message as a sentence, for a problem's <c>detail</c>.</summary>
    public string Sentence
    {
        get
        {
            var sentence = new StringBuilder(Message);
            if (sentence.Length > 0)
            {
                sentence[0] = char.ToUpper(sentence[0], CultureInfo.InvariantCulture);
            }
            if (sentence.Length == 0 || sentence[^1] != '.')
            {
                sentence.Append('.');
            }
            return sentence.ToString();
        }
    }
}
