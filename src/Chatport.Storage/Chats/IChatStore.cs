namespace Chatport.Storage.Chats;

/// <summary>Open chats, for the inactivity timeout.</summary>
public interface IChatStore
{
    /// <summary>
    /// Open chats whose last event arrived at least their account's inactivity timeout before
    /// <paramref name="now"/> (epoch ms), oldest first.
    /// </summary>
    Task<IReadOnlyList<ChatKey>> FindInactiveChatsAsync(long now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The number of chats not finished yet.</summary>
    Task<long> CountOpenChatsAsync(CancellationToken cancellationToken = default);
}
