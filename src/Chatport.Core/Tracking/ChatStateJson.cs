using System.Text.Json;

namespace Chatport.Tracking;

/// <summary>
/// Writes and reads a <see cref="ChatState"/> for the caller to persist between requests. Exact: absent keys stay
/// absent (a message without <c>name</c>) and <c>null</c>s stay <c>null</c>; the finish reason is written by name.
/// The layout is System.Text.Json's serializer's with the contract's options (camelCase, default values not
/// written, <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>), written and read
/// by hand (<see cref="ChatStateWriter"/>, <see cref="ChatStateReader"/>) because it happens on every live event.
/// </summary>
public static class ChatStateJson
{
    /// <summary>The state as UTF-8 JSON.</summary>
    /// <param name="state">The chat's state.</param>
    public static byte[] Serialize(ChatState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ChatStateWriter.Write(state);
    }

    /// <summary>Reads a state written by <see cref="Serialize"/>; missing or <c>null</c> lists and visitor come back empty.</summary>
    /// <param name="utf8Json">The UTF-8 JSON.</param>
    /// <exception cref="JsonException">It is not the JSON of a chat state.</exception>
    public static ChatState Deserialize(ReadOnlySpan<byte> utf8Json) => ChatStateReader.Read(utf8Json);
}
