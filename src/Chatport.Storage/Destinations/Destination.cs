namespace Chatport.Storage.Destinations;

/// <summary>
/// Where an account's finished conversations go. The store keeps what every kind shares (which conversations,
/// whether it is on, how long one attempt may take, when to try again, how it has been doing); what a kind needs of
/// its own is its <see cref="Config"/> and its <see cref="Secrets"/>, JSON objects only that kind reads
/// (docs/architecture.md, "Destination kinds").
/// </summary>
/// <param name="Kind">The destination kind (<c>webhook</c>, …): which plug-in reads the config and sends.</param>
/// <param name="Kinds">The conversation kinds sent (completed, missed, offline, dropped); empty means all.</param>
/// <param name="TimeoutSeconds">How long one attempt may take.</param>
/// <param name="RetrySchedule">Delays between attempts ("0", "5s", "5m", "2h"…); empty for the default schedule.</param>
/// <param name="Config">The kind's settings, without secrets.</param>
/// <param name="Secrets">The kind's secrets and credentials (signing secrets, passwords…), never shown after creation; null when it has none.</param>
/// <param name="FailingSince">When the current run of failures began; null after a success.</param>
public sealed record Destination(
    string Id,
    long AccountId,
    string Kind,
    string? Name,
    bool Enabled,
    string? DisabledReason,
    IReadOnlyList<string> Kinds,
    int TimeoutSeconds,
    IReadOnlyList<string> RetrySchedule,
    string Config,
    string? Secrets,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? FailingSince)
{
    /// <summary>What is masked in message contents before sending (email, phone, card, iban); empty for nothing.</summary>
    public IReadOnlyList<string> Redact { get; init; } = [];

    /// <summary>The visitor fields emptied before sending (email, name, ipAddress…); empty for none.</summary>
    public IReadOnlyList<string> RedactVisitor { get; init; } = [];

    /// <summary>Why the last attempt failed, while the destination is failing (null after a success); at most <see cref="DestinationHealth.MaxErrorLength"/> characters.</summary>
    public string? LastError { get; init; }

    /// <summary>Whether a conversation of these kinds goes to this destination.</summary>
    public bool Accepts(IReadOnlyList<string> conversationKinds) => Accepts(Kinds, conversationKinds);

    /// <summary>Whether a destination taking <paramref name="kinds"/> (empty: all) takes a conversation of <paramref name="conversationKinds"/>.</summary>
    public static bool Accepts(IReadOnlyList<string> kinds, IReadOnlyList<string> conversationKinds)
    {
        if (kinds.Count == 0)
        {
            return true;
        }
        foreach (var kind in conversationKinds)
        {
            if (kinds.Contains(kind))
            {
                return true;
            }
        }
        return false;
    }
}
