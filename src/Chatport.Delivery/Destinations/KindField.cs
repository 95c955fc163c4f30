namespace Chatport.Delivery.Destinations;

/// <summary>The JSON type of a destination field.</summary>
public enum FieldType
{
    String,
    Integer,
    Boolean,

    /// <summary>A list of strings.</summary>
    Strings,

    /// <summary>An object whose values are strings (headers, say).</summary>
    StringMap,
}

/// <summary>One of a kind's own flat fields: what API documentation and messages say of it.</summary>
/// <param name="RequiredOnCreate">A new destination of the kind must have it.</param>
/// <param name="Secret">It is a secret or credential: masked in every answer after the one that set it.</param>
/// <param name="PatchOnly">It means something only when changing a destination (a webhook's <c>rotateSecret</c>).</param>
/// <param name="MaxLength">
/// For a string field, the most characters it may hold when more than the 2,048 every stored string may hold
/// (an http kind's template); the neutral checks refuse a longer one before the kind sees it.
/// </param>
public sealed record KindField(
    string Name, FieldType Type, string Description, bool RequiredOnCreate = false, bool Secret = false, bool PatchOnly = false, int? MaxLength = null);
