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
    /// is of the older generation, which destinations receive normalized (docs/architecture.md, "The conversation contract").
    /// </summary>
    public static ConversationWrite From(long accountId, long chatId, Conversation conversation, byte[] body, string source) =>
        From(accountId, chatId, ConversationHead.Of(conversation), body, source, ExportBodyOf(conversation));

    /// <summary>A conversation received whole, known by its head; <paramref name="exportBody"/> as <see cref="ExportBodyOf"/>.</summary>
    public static ConversationWrite From(long accountId, long chatId, ConversationHead head, ReadOnlyMemory<byte> body, string source, ReadOnlyMemory<byte>? exportBody) => new(
        accountId,
        chatId,
        body,
        head.Kinds,
        head.BeginAt.HasValue ? head.BeginAt.Value : null,
        head.EndAt.HasValue ? head.EndAt.Value : null,
        source,
        exportBody);

    /// <summary>What destinations receive instead of the body: the normalized conversation when it is of the older generation, else null.</summary>
    public static ReadOnlyMemory<byte>? ExportBodyOf(Conversation conversation) =>
        ConversationNormalizer.IsOlderGeneration(conversation)
            ? (ReadOnlyMemory<byte>?)ContractJson.Serialize(ConversationNormalizer.Normalize(conversation))
            : null; // (a null byte[] would become an empty, present ReadOnlyMemory)
}
