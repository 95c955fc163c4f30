namespace Chatport.Sources.Events;

/// <summary>What a request's events did: applied, ignored as repeats, or refused (with why).</summary>
/// <param name="Rejected">How many were refused.</param>
/// <param name="Errors">Why: the first 100 refused (<see cref="Api.ErrorList{T}.Shown"/>).</param>
internal sealed record EventBatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventError> Errors);
