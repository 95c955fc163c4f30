using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// The kinds a finished conversation is exported as, which subscriptions filter on (docs/architecture.md,
/// "The tracker's rules"). A conversation can be several; <see cref="Chat"/> when it is none of the filterable ones.
/// </summary>
public static class ConversationKinds
{
    /// <summary>The channel's <c>isCompleted</c> is true.</summary>
    public const string Completed = "completed";

    /// <summary>The channel's <c>isMissed</c> is true.</summary>
    public const string Missed = "missed";

    /// <summary>The channel's <c>isOffline</c> is true.</summary>
    public const string Offline = "offline";

    /// <summary>The channel's <c>isDropped</c> is true.</summary>
    public const string Dropped = "dropped";

    /// <summary>Any other finished conversation.</summary>
    public const string Chat = "chat";

    private static readonly string[] ChatOnly = [Chat];

    /// <summary>The four kinds a subscription can filter on.</summary>
    public static IReadOnlyList<string> All { get; } = [Completed, Missed, Offline, Dropped];

    /// <summary>The kinds of a conversation whose channel has the given flags (an absent flag is false).</summary>
    /// <param name="channel">The conversation's channel.</param>
    /// <returns>The kinds whose flag is true, in the order of <see cref="All"/>; <c>["chat"]</c> when none is.</returns>
    public static IReadOnlyList<string> Of(Channel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);

        var completed = channel.IsCompleted.Value;
        var missed = channel.IsMissed.Value;
        var offline = channel.IsOffline.Value;
        var dropped = channel.IsDropped.Value;
        var n = (completed ? 1 : 0) + (missed ? 1 : 0) + (offline ? 1 : 0) + (dropped ? 1 : 0);
        if (n == 0)
        {
            return ChatOnly;
        }

        var kinds = new string[n];
        var i = 0;
        if (completed)
        {
            kinds[i++] = Completed;
        }

        if (missed)
        {
            kinds[i++] = Missed;
        }

        if (offline)
        {
            kinds[i++] = Offline;
        }

        if (dropped)
        {
            kinds[i] = Dropped;
        }

        return kinds;
    }

    /// <summary>Whether <paramref name="kind"/> is one of the four filterable kinds or <c>chat</c> (ordinal, case-sensitive).</summary>
    /// <param name="kind">The kind to check.</param>
    public static bool IsKnown(string kind) =>
        kind is Completed or Missed or Offline or Dropped or Chat;
}
