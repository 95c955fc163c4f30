using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Destinations;

/// <summary>
/// A destination kind: where conversations can go (<c>webhook</c>, …). A kind is one folder under Destinations/
/// and one line in <see cref="DeliveryServiceCollectionExtensions.AddChatportDelivery"/>
/// (<c>services.AddDestinationKind&lt;TKind&gt;()</c>). It owns its settings (what its flat fields mean, how they are
/// checked, which are secret) and how it sends; everything every kind shares — name, which conversations, enabled,
/// timeout, retry schedule, plan gating, the delivery log, replay — is done once, by the application layer and the
/// dispatcher. See docs/architecture.md, "Adding a destination kind".
/// </summary>
public interface IDestinationKind
{
    /// <summary>The <c>kind</c> in API bodies and in the store; never renamed once shipped.</summary>
    string Name { get; }

    /// <summary>How a person calls one (the title of a plan refusal, say): "The POST hook".</summary>
    string Title { get; }

    /// <summary>How a person calls several, as the subject of a sentence: "Webhook destinations".</summary>
    string Plural { get; }

    /// <summary>Whether an account needs the PRO plan to add one.</summary>
    bool NeedsPro { get; }

    /// <summary>How long one attempt may take when the destination does not say (seconds).</summary>
    int DefaultTimeoutSeconds { get; }

    /// <summary>
    /// How many of one destination's deliveries may be sent at once; null for
    /// <c>Chatport:Delivery:MaxConcurrencyPerDestination</c> (16), which spares a far side's server. A kind that
    /// commits in groups (a file, a database) asks for more: its deliveries in flight wait in its queue and share
    /// one write, so more of them make bigger batches, not more load.
    /// </summary>
    int? MaxInFlight => null;

    /// <summary>The kind's own flat fields in a create or patch body (besides the ones every kind takes).</summary>
    IReadOnlyList<KindField> Fields { get; }

    /// <summary>
    /// Checks the kind's fields of a create (<paramref name="current"/> null: required fields must be there) or of a
    /// patch (only the fields present change) and gives the settings to store. Every problem goes into
    /// <paramref name="errors"/> under its field's name, in plain words; the result is then ignored.
    /// </summary>
    KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors);

    /// <summary>The kind's settings as API answers show them, secrets masked unless <paramref name="showSecrets"/>.</summary>
    DestinationView Describe(KindSettings settings, bool showSecrets);

    /// <summary>Sends one attempt. Never throws for the far side's faults: they are the outcome.</summary>
    /// <param name="cancellationToken">The node stopping past its bound; the destination's own timeout is the kind's to apply.</param>
    Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken);
}
