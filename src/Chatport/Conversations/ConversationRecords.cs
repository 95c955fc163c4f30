using Chatport.Contract;
using Chatport.Storage.Conversations;
using Chatport.Tracking;

namespace Chatport.Conversations;

/// <summary>Turns a conversation into what the store keeps: its exact body, kinds and times.</summary>
internal static class ConversationRecords
{
    public const string Live = "live";
    public const string Import = "import";
    public const string Hook = "hook";

    /// <summary>How the APIs name what storing a conversation did: <c>created</c>, <c>newVersion</c>, <c>duplicate</c>.</summary>
    public static string Describe(ConversationWriteOutcome outcome) => outcome switch
    {
        ConversationWriteOutcome.Created => "created",
        ConversationWriteOutcome.NewVersion => "newVersion",
        _ => "duplicate",
    };

    /// <summary>A conversation the tracker built: its body is the contract's serialization.</summary>
    public static ConversationWrite FromBuilt(long accountId, long chatId, Conversation conversation) =>
        From(accountId, chatId, conversation, ContractJson.Serialize(conversation), Live);

    /// <summary>
    /// A conversation received whole: its body is kept exactly as it came, and sent onward as it came unless it
    /// is of the older generation, which destinations receive normalized (DESIGN.md).
    /// </summary>
    public static ConversationWrite From(long accountId, long chatId, Conversation conversation, byte[] body, string source) => new(
        accountId,
        chatId,
        body,
        ConversationKinds.Of(conversation.Channel!),
        conversation.BeginAt.HasValue ? conversation.BeginAt.Value : null,
        conversation.EndAt.HasValue ? conversation.EndAt.Value : null,
        source,
        ConversationNormalizer.IsOlderGeneration(conversation)
            ? (ReadOnlyMemory<byte>?)ContractJson.Serialize(ConversationNormalizer.Normalize(conversation))
            : null);
}
