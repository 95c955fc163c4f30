namespace Chatport.Delivery.Destinations;

/// <summary>Problems with a request, by field, in plain words; the API answers them as a 400 problem detail's <c>errors</c>.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    /// <summary>Records a problem with <paramref name="field"/>; the first one said about a field is kept.</summary>
    public void Add(string field, string message) => _errors.TryAdd(field, [message]);

    public bool Has(string field) => _errors.ContainsKey(field);

    public IDictionary<string, string[]> ToDictionary() => new Dictionary<string, string[]>(_errors, StringComparer.Ordinal);
}
