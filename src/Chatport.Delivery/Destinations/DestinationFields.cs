using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// The flat fields of a destination's create or patch body, read by name with their type checked: a field of the
/// wrong type is a field error in plain words ("the value of `timeoutSeconds` must be a whole number"), and reads as absent.
/// A field that is absent or <c>null</c> is not given (on a patch: unchanged).
/// </summary>
public sealed class DestinationFields(JsonElement body, FieldErrors errors)
{
    /// <summary>The body as sent (a JSON object).</summary>
    public JsonElement Body { get; } = body;

    public bool Has(string name) => Body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name) =>
        Get(name, JsonValueKind.String, "a string") is { } value ? value.GetString() : null;

    public bool? Boolean(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : Wrong<bool?>(name, "true or false", null);

    public int? Integer(string name) =>
        Get(name, JsonValueKind.Number, "a whole number") is { } value
            ? value.TryGetInt32(out var number) ? number : Wrong<int?>(name, "a whole number", null, force: true)
            : null;

    public List<string>? Strings(string name)
    {
        if (Get(name, JsonValueKind.Array, "an array") is not { } value)
        {
            return null;
        }
        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return Wrong<List<string>?>($"{name}[{list.Count}]", "a string", null, force: true);
            }
            list.Add(item.GetString()!);
        }
        return list;
    }

    public Dictionary<string, string>? StringMap(string name)
    {
        if (Get(name, JsonValueKind.Object, "an object") is not { } value)
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return Wrong<Dictionary<string, string>?>($"{name}.{property.Name}", "a string", null, force: true);
            }
            map[property.Name] = property.Value.GetString()!;
        }
        return map;
    }

    private JsonElement? Get(string name, JsonValueKind kind, string expected)
    {
        if (!Body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == kind ? value : Wrong<JsonElement?>(name, expected, null, force: true);
    }

    private T Wrong<T>(string name, string expected, T none, bool force = false)
    {
        if (force || Has(name))
        {
            errors.Add(name, JsonErrors.MustBe(name, expected));
        }
        return none;
    }
}
