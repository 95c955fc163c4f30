using System.Text.Json;
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

/// <summary>One stored version of a conversation; <see cref="Body"/> is its JSON as stored.</summary>
internal sealed record ConversationVersionResponse(int Version, string Source, DateTimeOffset StoredAt, JsonElement Body)
{
    public static ConversationVersionResponse From(StoredConversationVersion v)
    {
        using var document = JsonDocument.Parse(v.Body);
        return new(v.Version, v.Source, v.StoredAt, document.RootElement.Clone());
    }
}

/// <summary>Every version of a conversation (at most the newest 100), newest first.</summary>
internal sealed record ConversationVersionList(IReadOnlyList<ConversationVersionResponse> Items);
