namespace Chatport.Sources.Import;

/// <summary>What importing one conversation did.</summary>
/// <param name="Outcome"><c>created</c>, <c>newVersion</c> or <c>duplicate</c>.</param>
internal sealed record ImportedConversation(int Index, long AccountId, long ChatId, int Version, string Outcome);

/// <summary>The answer to <c>POST /v1/conversations</c>.</summary>
internal sealed record ImportResult(int Imported, int Duplicates, IReadOnlyList<ImportedConversation> Items);

/// <summary>Why one conversation of an import is not valid.</summary>
internal sealed record ImportError(int Index, string Error, string? Path);
