using Chatport.Contract;
using Chatport.Conversations;

namespace Chatport.Sources.Hooks;

/// <summary>
/// What filing a hook's body needs of it: the conversation's head, and what destinations receive instead of the body
/// (the normalized conversation when it is of the older generation, else null).
/// </summary>
/// <remarks>
/// A body <see cref="ContractScanner"/> vouches for (a valid current-generation conversation, the usual case) is checked
/// in one pass without being built; any other is parsed in full, which accepts the older generation and words the error
/// of an invalid one — so both ways accept and refuse exactly the same bodies.
/// </remarks>
internal sealed record HookBody(ConversationHead Head, ReadOnlyMemory<byte>? ExportBody)
{
    /// <exception cref="ContractException">The body is not a seed-format conversation.</exception>
    public static HookBody Read(byte[] body)
    {
        if (ContractScanner.ScanDocument(body) is { } head)
        {
            return new HookBody(head, null);
        }
        var conversation = ContractJson.ParseInbound(body);
        return new HookBody(ConversationHead.Of(conversation), ConversationRecords.ExportBodyOf(conversation));
    }
}
