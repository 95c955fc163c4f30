namespace Chatport.Storage.Chats;

/// <summary>A live event to record under its idempotency key (<c>accountId</c>, <c>id</c>), as it came.</summary>
/// <param name="At">The event's own time (epoch ms).</param>
/// <param name="ReceivedAt">The server's clock when it arrived (epoch ms).</param>
public readonly record struct EventWrite(long AccountId, string EventId, long ChatId, long At, long ReceivedAt, ReadOnlyMemory<byte> Body);
