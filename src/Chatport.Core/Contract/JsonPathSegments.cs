using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace Chatport.Contract;

/// <summary>One step of a JSONPath: a property (or dictionary key) name, or an array index.</summary>
internal readonly record struct JsonPathSegment(string? Name, int Index);

/// <summary>Where a step of a path leads in a contract: the value's contract, or the object that has no such field.</summary>
internal readonly record struct JsonPathTarget(JsonTypeInfo? Found, JsonTypeInfo? Unknown, int UnknownAt);

/// <summary>The serializer's JSONPaths (<c>$.headers.x</c>, <c>$['odd name']</c>, <c>$.kinds[0]</c>), read and followed.</summary>
internal static class JsonPathSegments
{
    public static JsonPathSegment[] Parse(string? path)
    {
        var segments = new List<JsonPathSegment>();
        var at = path is { Length: > 0 } && path[0] == '$' ? 1 : 0;
        while (path is not null && at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new(path[(at + 1)..end], -1));
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['"))
            {
                var end = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(new(path[(at + 2)..end], -1));
                at = end + 2;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(int.TryParse(path.AsSpan(at + 1, end - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? new(null, index) : new(path[(at + 1)..end], -1));
                at = end + 1;
            }
            else
            {
                break;
            }
        }
        return [.. segments];
    }

    /// <summary>The path as a client reads it: <c>headers.x</c>, <c>kinds[0]</c>.</summary>
    public static string Format(ReadOnlySpan<JsonPathSegment> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is null)
            {
                text.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment.Name);
            }
        }
        return text.ToString();
    }

    /// <summary>Follows <paramref name="segments"/> from <paramref name="root"/> through properties, dictionary values and array elements.</summary>
    public static JsonPathTarget Walk(JsonTypeInfo root, ReadOnlySpan<JsonPathSegment> segments)
    {
        var node = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            switch (node.Kind)
            {
                case JsonTypeInfoKind.Object when segment.Name is { } name:
                    var comparison = node.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    var property = node.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
                    if (property is null)
                    {
                        return new(null, node, i);
                    }
                    node = node.Options.GetTypeInfo(property.PropertyType);
                    break;
                case JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Enumerable when node.ElementType is { } element:
                    node = node.Options.GetTypeInfo(element);
                    break;
                default:
                    return default;
            }
        }
        return new(node, null, -1);
    }
}
