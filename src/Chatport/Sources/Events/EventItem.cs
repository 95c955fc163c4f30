using Chatport.Tracking;

namespace Chatport.Sources.Events;

/// <summary>One event of a request: its position, its raw JSON (kept in the store) and its parsed form.</summary>
internal sealed record EventItem(int Index, byte[] Raw, ChatEvent Event);

/// <summary>Why an event of a request was not taken.</summary>
/// <param name="Index">Its position in the request (0-based; for NDJSON, the line's event number).</param>
/// <param name="Id">Its <c>id</c>, when it had one.</param>
internal sealed record EventError(int Index, string? Id, string Error);
