using Chatport.Storage.Conversations;

namespace Chatport.Conversations;

/// <summary>One conversation in a listing; its JSON is at <see cref="Url"/>.</summary>
internal sealed record ConversationSummary(
    long AccountId,
    long ChatId,
    int Version,
    IReadOnlyList<string> Kinds,
    long? BeginAt,
    long? EndAt,
    string Source,
    DateTimeOffset StoredAt,
    string Url)
{
    public static ConversationSummary From(StoredConversation c) => new(
        c.AccountId, c.ChatId, c.Version, c.Kinds, c.BeginAt, c.EndAt, c.Source, c.StoredAt,
        $"/v1/accounts/{c.AccountId}/conversations/{c.ChatId}");
}

/// <summary>A page of conversations; pass <see cref="Next"/> as <c>cursor</c> for the next one.</summary>
internal sealed record ConversationList(IReadOnlyList<ConversationSummary> Items, string? Next);
