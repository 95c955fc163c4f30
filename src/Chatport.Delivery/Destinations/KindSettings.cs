namespace Chatport.Delivery.Destinations;

/// <summary>A kind's settings as the store keeps them: its config and its secrets, each a JSON object only the kind reads.</summary>
/// <param name="Secrets">Null when the kind keeps none.</param>
/// <param name="Reveal">The secrets were just made or changed: the answer to this one request shows them (once).</param>
public sealed record KindSettings(string Config, string? Secrets, bool Reveal = false);
