using System.Text.Json.Nodes;
using Chatport.Delivery.Destinations;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Tests.Destinations.InFlight;

/// <summary>
/// Test-only kinds whose sends are held until the test lets them go, and which count how many are in flight at
/// once: <c>wide</c> asks for 40 at once (<see cref="IDestinationKind.MaxInFlight"/>), <c>narrow</c> asks for nothing
/// (the dispatcher's per-destination default).
/// </summary>
internal abstract class HeldKind : IDestinationKind
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _most;

    public abstract string Name { get; }

    public string Title => $"The {Name} kind";

    public string Plural => $"{Name} destinations";

    public bool NeedsPro => false;

    public int DefaultTimeoutSeconds => 60;

    public virtual int? MaxInFlight => null;

    public IReadOnlyList<KindField> Fields { get; } = [];

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Most => Volatile.Read(ref _most);

    public void Release() => _release.TrySetResult();

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors) => new("{}", null);

    public DestinationView Describe(KindSettings settings, bool showSecrets) => new(new JsonObject(), new JsonObject(), new JsonObject());

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var most = Most; now > most; most = Most)
        {
            Interlocked.CompareExchange(ref _most, now, most);
        }
        try
        {
            await _release.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        return new SendOutcome(SendResult.Delivered, 0.1, null, null, null);
    }
}

internal sealed class WideKind : HeldKind
{
    public override string Name => "wide";

    public override int? MaxInFlight => 40;
}

internal sealed class NarrowKind : HeldKind
{
    public override string Name => "narrow";
}
