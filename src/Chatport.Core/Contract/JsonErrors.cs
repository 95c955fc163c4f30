using System.Text.Json;

namespace Chatport.Contract;

/// <summary>Where a <see cref="JsonException"/> happened and what it says, without the serializer's noise.</summary>
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
}
