namespace Chatport.Redaction;

/// <summary>What a destination masks before a conversation leaves (docs/architecture.md, "Redaction").</summary>
public static class Redaction
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Card = "card";
    public const string Iban = "iban";

    /// <summary>What <c>redact</c> may hold: patterns masked in message contents.</summary>
    public static readonly IReadOnlyList<string> ContentKinds = [Email, Phone, Card, Iban];

    /// <summary>What <c>redactVisitor</c> may hold: visitor fields emptied (set to null).</summary>
    public static readonly IReadOnlyList<string> VisitorFields =
        ["name", "email", "note", "ipAddress", "city", "countryCode", "country", "userAgent", "platform", "referer", "variables"];

    /// <summary>What a masked match reads as, e.g. <c>[email]</c>.</summary>
    public static string Mask(string kind) => $"[{kind}]";
}
