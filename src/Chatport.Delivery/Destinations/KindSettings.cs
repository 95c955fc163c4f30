namespace Chatport.Delivery.Destinations;

/// <summary>A kind's settings as the store keeps them: its config and its secrets, each a JSON object only the kind reads.</summary>
/// <param name="Secrets">Null when the kind keeps none.</param>
/// <param name="Reveal">The secrets were just made or changed: the answer to this one request shows them (once).</param>
public sealed record KindSettings(string Config, string? Secrets, bool Reveal = false)
{
    /// <summary>
    /// With <see cref="Reveal"/>: which of the kind's secret fields were just set, so the answer shows those and keeps
    /// the others masked (a webhook's new <c>headers</c> without its unchanged signing <c>secret</c>); null: all of them.
    /// </summary>
    public IReadOnlyCollection<string>? Revealed { get; init; }

    /// <summary>Whether an answer that may show secrets (<paramref name="showSecrets"/>) shows the one named <paramref name="field"/>.</summary>
    public bool Shows(string field, bool showSecrets) => showSecrets && (Revealed is null || Revealed.Contains(field));
}
