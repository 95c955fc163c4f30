namespace Chatport.Conversations;

/// <summary>
/// Settings under <c>Chatport:GroupCommit</c>: how one-conversation requests (inbound hooks, a one-conversation
/// <c>POST /v1/conversations</c>) share transactions (<see cref="WriteBatcher{TItem, TResult}"/>).
/// </summary>
internal sealed class GroupCommitOptions
{
    public const string Section = "Chatport:GroupCommit";

    /// <summary>
    /// The most requests that share one transaction (default 64; 1 gives each its own). Requests share one only when
    /// they arrive while earlier ones are being written: none waits for others to arrive.
    /// </summary>
    public int MaxRequests { get; set; } = 64;

    /// <summary>The most of those transactions running at once, per entry point (default 4).</summary>
    public int InFlight { get; set; } = 4;
}
