using System.Text.Json.Nodes;
using Chatport.Delivery.Destinations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Application.Destinations;

/// <summary>
/// Stands in for a kind the store names but this build does not have (a newer node made it): the destination is
/// listed with its common fields, cannot be changed, and is not sent to here (its deliveries wait for a node that has the kind).
/// </summary>
internal sealed class MissingKind(string name) : IDestinationKind
{
    public string Name => name;

    public string Title => $"The {name} destination";

    public string Plural => $"{name} destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 15;

    public IReadOnlyList<KindField> Fields => [];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        errors.Add("kind", $"This build of Chatport has no \"{name}\" destination kind; change it on a node that has.");
        return current ?? new KindSettings("{}", null);
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets) => new([], [], []);

    public Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken) =>
        Task.FromResult(new SendOutcome(SendResult.Retry, 0, null, $"This build of Chatport has no \"{name}\" destination kind.", null));
}
