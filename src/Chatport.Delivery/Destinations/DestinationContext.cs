namespace Chatport.Delivery.Destinations;

/// <summary>What a kind may need to check or make its settings.</summary>
/// <param name="Now">The time of the change (a rotated secret's previous one expires a day after it).</param>
/// <param name="AllowPrivateTargets">Chatport:Delivery:AllowPrivateTargets: whether loopback and private addresses may be targets.</param>
public sealed record DestinationContext(DateTimeOffset Now, bool AllowPrivateTargets);
