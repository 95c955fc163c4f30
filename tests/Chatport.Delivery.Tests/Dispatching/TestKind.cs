using Chatport.Delivery.Destinations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Tests.Dispatching;

/// <summary>A destination kind named "counting" for dispatcher tests; each test's kind says how it sends.</summary>
internal abstract class TestKind : IDestinationKind
{
    public string Name => "counting";

    public string Title => "The counting destination";

    public string Plural => "Counting destinations";

    public bool NeedsPro => false;

    public int DefaultTimeoutSeconds => 15;

    public IReadOnlyList<KindField> Fields => [];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors) =>
        current ?? new KindSettings("{}", null);

    public DestinationView Describe(KindSettings settings, bool showSecrets) => new([], [], []);

    public abstract Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken);
}
