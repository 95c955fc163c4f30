namespace Chatport.Storage.Conversations;

/// <summary>A finished conversation to store: its exact JSON body and what listing and routing need.</summary>
/// <param name="Body">The seed-format JSON, exactly as it is to be read back and delivered.</param>
/// <param name="Kinds">completed, missed, offline, dropped (any of them) or chat.</param>
/// <param name="Source"><c>live</c>, <c>import</c> or <c>hook</c>.</param>
/// <param name="ExportBody">What destinations receive when it differs from <paramref name="Body"/> (an older-generation
/// body, normalized); null when the body itself is sent.</param>
public sealed record ConversationWrite(
    long AccountId,
    long ChatId,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<string> Kinds,
    long? BeginAt,
    long? EndAt,
    string Source,
    ReadOnlyMemory<byte>? ExportBody = null)
{
    /// <summary>The bytes destinations receive.</summary>
    public ReadOnlyMemory<byte> Delivered => ExportBody ?? Body;
}
