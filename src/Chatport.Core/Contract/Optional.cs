using System.Text.Json.Serialization;

namespace Chatport.Contract;

/// <summary>
/// A contract value that may be absent from the JSON document. <c>default</c> means "absent", so with the
/// contract's <see cref="JsonIgnoreCondition.WhenWritingDefault"/> policy an absent key stays absent and a
/// present <c>null</c> stays <c>null</c> — the seed's fidelity rule.
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
public readonly record struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        HasValue = true;
    }

    /// <summary>True when the key was (or is to be) written, even with a <c>null</c> value.</summary>
    public bool HasValue { get; }

    /// <summary>The value; <c>default</c> when absent.</summary>
    public T Value { get; }

    public static implicit operator Optional<T>(T value) => new(value);

    public T Or(T fallback) => HasValue ? Value : fallback;

    public override string ToString() => HasValue ? $"{Value}" : "(absent)";
}
