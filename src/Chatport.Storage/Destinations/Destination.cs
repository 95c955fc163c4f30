namespace Chatport.Storage.Destinations;

/// <summary>
/// Where an account's finished conversations go. The store keeps what every kind shares; what a kind needs
/// of its own (a webhook's URL, headers, timeout…) is its <see cref="Config"/>, a JSON object only that kind reads.
/// </summary>
/// <param name="Kinds">The conversation kinds sent (completed, missed, offline, dropped); empty means all.</param>
/// <param name="Secret">The signing secret (for kinds that sign), kept so the dispatcher can sign.</param>
/// <param name="PreviousSecret">The secret before the last rotation; it signs too until <paramref name="PreviousSecretExpiresAt"/>.</param>
/// <param name="FailingSince">When the current run of failures began; null after a success.</param>
public sealed record Destination(
    string Id,
    long AccountId,
    string Kind,
    string? Name,
    bool Enabled,
    string? DisabledReason,
    IReadOnlyList<string> Kinds,
    string Config,
    string? Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? FailingSince)
{
    /// <summary>Whether a conversation of these kinds goes to this destination.</summary>
    public bool Accepts(IReadOnlyList<string> conversationKinds)
    {
        if (Kinds.Count == 0)
        {
            return true;
        }
        foreach (var kind in conversationKinds)
        {
            if (Kinds.Contains(kind))
            {
                return true;
            }
        }
        return false;
    }
}
