namespace Chatport.Sources.Events;

/// <summary>What a request's events did: applied, ignored as repeats, or refused (with why).</summary>
internal sealed record EventBatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventError> Errors);
