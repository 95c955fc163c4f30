namespace Chatport.Delivery.Destinations;

/// <summary>The destination kinds this node knows, by name (each registered with <c>AddDestinationKind</c>).</summary>
public sealed class DestinationKinds(IEnumerable<IDestinationKind> kinds)
{
    private readonly Dictionary<string, IDestinationKind> _byName = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IDestinationKind? Find(string? name) => name is not null && _byName.TryGetValue(name, out var kind) ? kind : null;

    /// <summary>"webhook", "file" or "email", for messages.</summary>
    public string Listed() => Words.OneOf(_byName.Keys.Select(k => $"\"{k}\""));
}

/// <summary>Lists in plain English.</summary>
public static class Words
{
    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string OneOf(IEnumerable<string> items) => Join(items, "or");

    /// <summary>A value quoted back in a message, cut to its first 100 characters (a message never echoes a huge value).</summary>
    public static string Short(string value) => value.Length <= 100 ? value : value[..100] + "…";

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string All(IEnumerable<string> items) => Join(items, "and");

    private static string Join(IEnumerable<string> items, string last)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + $" {last} " + list[^1];
    }
}
