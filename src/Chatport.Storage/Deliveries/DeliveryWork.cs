namespace Chatport.Storage.Deliveries;

/// <summary>A delivery ready to send: the conversation version's exact body and what its headers need.</summary>
/// <param name="Attempts">Attempts made before this one.</param>
public sealed record DeliveryWork(
    string Id,
    long AccountId,
    string DestinationId,
    long ChatId,
    int Version,
    IReadOnlyList<string> Kinds,
    int Attempts,
    DateTimeOffset CreatedAt,
    ReadOnlyMemory<byte> Body);
