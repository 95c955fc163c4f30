using System.Text.Encodings.Web;
using System.Text.Json;

namespace Chatport.Tracking;

/// <summary>
/// Writes and reads a <see cref="ChatState"/> for the caller to persist between requests. Exact: absent keys stay
/// absent (a message without <c>name</c>) and <c>null</c>s stay <c>null</c>; the finish reason is written by name.
/// </summary>
public static class ChatStateJson
{
    private static readonly ChatStateJsonContext Context = new(new JsonSerializerOptions(ChatStateJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The state as UTF-8 JSON.</summary>
    /// <param name="state">The chat's state.</param>
    public static byte[] Serialize(ChatState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.SerializeToUtf8Bytes(state, Context.ChatState);
    }

    /// <summary>Reads a state written by <see cref="Serialize"/>; missing or <c>null</c> lists and visitor come back empty.</summary>
    /// <param name="utf8Json">The UTF-8 JSON.</param>
    /// <exception cref="JsonException">It is not the JSON of a chat state.</exception>
    public static ChatState Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        var state = JsonSerializer.Deserialize(utf8Json, Context.ChatState)
            ?? throw new JsonException("A chat state must be a JSON object, not null.");
        state.Visitor ??= new();
        state.Paths ??= [];
        state.Messages ??= [];
        return state;
    }
}
