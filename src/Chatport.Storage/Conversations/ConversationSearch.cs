using Chatport.Contract;

namespace Chatport.Storage.Conversations;

/// <summary>What a conversation search (<see cref="ConversationQuery.Search"/>) matches, and its <c>LIKE</c> pattern.</summary>
public static class ConversationSearch
{
    /// <summary>
    /// Whether the visitor's name or e-mail, or any message's content, of the stored body contains
    /// <paramref name="search"/>, ignoring case. A body that is not a conversation matches nothing.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> body, string search)
    {
        Conversation conversation;
        try
        {
            conversation = ContractJson.Parse(body);
        }
        catch (ContractException)
        {
            return false;
        }
        if (conversation.Visitor is { HasValue: true, Value: { } visitor }
            && (Holds(visitor.Name, search) || Holds(visitor.Email, search)))
        {
            return true;
        }
        return conversation.Messages?.Exists(m => m is not null && Holds(m.Content, search)) ?? false;
    }

    /// <summary>The text taken literally inside a <c>LIKE … ESCAPE '\'</c> pattern: <c>%</c>, <c>_</c> and <c>\</c> escaped.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    private static bool Holds(Optional<string?> value, string search) =>
        value is { HasValue: true, Value: { } text } && text.Contains(search, StringComparison.OrdinalIgnoreCase);
}
