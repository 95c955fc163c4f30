namespace Chatport.Contract;

/// <summary>
/// Brings a conversation of the hook's older generation to the current one (DESIGN.md): <c>groupKey</c>
/// becomes <c>group</c>, a bare <c>from</c> id gets its type's prefix, and <c>messages[].email</c> is dropped.
/// The stored raw body is never changed; this runs when a conversation is read or exported onward.
/// </summary>
public static class ConversationNormalizer
{
    public static Conversation Normalize(Conversation conversation)
    {
        if (conversation.Visitor is { HasValue: true, Value: { } visitor })
        {
            NormalizeVisitor(visitor);
        }
        foreach (var message in conversation.Messages ?? [])
        {
            NormalizeMessage(message);
        }
        return conversation;
    }

    /// <summary>Whether the conversation has anything of the older generation that <see cref="Normalize"/> would change.</summary>
    public static bool IsOlderGeneration(Conversation conversation)
    {
        if (conversation.Visitor is { HasValue: true, Value.Extra: { } extra } && extra.ContainsKey("groupKey"))
        {
            return true;
        }
        foreach (var message in conversation.Messages ?? [])
        {
            if ((message.Extra?.ContainsKey("email") ?? false)
                || (message.From is { HasValue: true, Value: { } from } && IsBareId(from) && message.Type is { HasValue: true, Value: "visitor" or "agent" }))
            {
                return true;
            }
        }
        return false;
    }

    private static void NormalizeVisitor(Visitor visitor)
    {
        if (visitor.Extra is null || !visitor.Extra.Remove("groupKey", out var groupKey))
        {
            return;
        }
        if (!visitor.Group.HasValue)
        {
            visitor.Group = groupKey.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => groupKey.GetString(),
                System.Text.Json.JsonValueKind.Null => null,
                _ => groupKey.GetRawText(),
            };
        }
        if (visitor.Extra.Count == 0)
        {
            visitor.Extra = null;
        }
    }

    private static void NormalizeMessage(Message message)
    {
        if (message.Extra is not null && message.Extra.Remove("email") && message.Extra.Count == 0)
        {
            message.Extra = null;
        }
        if (message.From is { HasValue: true, Value: { } from } && IsBareId(from)
            && message.Type is { HasValue: true, Value: "visitor" or "agent" } type)
        {
            message.From = $"{type.Value}:{from}";
        }
    }

    private static bool IsBareId(string from) =>
        from.Length > 0 && from != "system" && !from.Contains(':', StringComparison.Ordinal);
}
