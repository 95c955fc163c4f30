namespace Chatport.Contract;

/// <summary>
/// Brings a conversation of the hook's older generation to the current one (docs/architecture.md, "The conversation contract"): <c>groupKey</c>
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
        if (conversation.Visitor is { HasValue: true, Value.Extra: { } extra } && extra.ContainsKey(GroupKey))
        {
            return true;
        }
        foreach (var message in conversation.Messages ?? [])
        {
            if ((message.Extra?.ContainsKey(MessageEmail) ?? false) || IsOlderMessage(message.Type.Or(null), message.From.Or(null)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether an unknown key of a <paramref name="owner"/> object marks the older generation.</summary>
    internal static bool IsOlderGenerationKey(Type owner, ReadOnlySpan<byte> utf8Name) =>
        (owner == typeof(Visitor) && utf8Name.SequenceEqual("groupKey"u8)) || (owner == typeof(Message) && utf8Name.SequenceEqual("email"u8));

    /// <summary>Whether a message with this <c>type</c> and <c>from</c> is of the older generation (a bare sender id).</summary>
    internal static bool IsOlderMessage(string? type, string? from) =>
        from is not null && IsBareId(from) && type is "visitor" or "agent";

    private const string GroupKey = "groupKey";
    private const string MessageEmail = "email";

    private static void NormalizeVisitor(Visitor visitor)
    {
        if (visitor.Extra is null || !visitor.Extra.Remove(GroupKey, out var groupKey))
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
        if (message.Extra is not null && message.Extra.Remove(MessageEmail) && message.Extra.Count == 0)
        {
            message.Extra = null;
        }
        if (IsOlderMessage(message.Type.Or(null), message.From.Or(null)))
        {
            message.From = $"{message.Type.Value}:{message.From.Value}";
        }
    }

    private static bool IsBareId(string from) =>
        from.Length > 0 && from != "system" && !from.Contains(':', StringComparison.Ordinal);
}
