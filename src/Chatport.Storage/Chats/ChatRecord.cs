namespace Chatport.Storage.Chats;

/// <summary>
/// One live chat's tracker state, kept in the store so a restart loses no open chat.
/// </summary>
/// <param name="State">The tracker's serialized state (opaque to the store).</param>
/// <param name="LastEventAt">Server-clock epoch ms of the last event's arrival; inactivity counts from it.</param>
/// <param name="Finished">True once the chat finished (closed, offline or dropped).</param>
public sealed record ChatRecord(long AccountId, long ChatId, byte[] State, long LastEventAt, bool Finished);
