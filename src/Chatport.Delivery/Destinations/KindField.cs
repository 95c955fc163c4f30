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
public sealed record KindField(string Name, FieldType Type, string Description, bool RequiredOnCreate = false, bool Secret = false, bool PatchOnly = false);
