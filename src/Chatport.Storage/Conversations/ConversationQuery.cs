namespace Chatport.Storage.Conversations;

/// <summary>A page of an account's conversations, newest <c>endAt</c> first.</summary>
/// <param name="Kind">Only conversations of this kind (completed, missed, offline, dropped, chat).</param>
/// <param name="From">Only those whose <c>endAt</c> is at or after this (epoch ms).</param>
/// <param name="To">Only those whose <c>endAt</c> is before this (epoch ms).</param>
/// <param name="After">The cursor of the previous page's last item.</param>
/// <param name="Search">
/// Only conversations whose visitor name, visitor e-mail or any message's content contains this text, ignoring case
/// (ASCII case in SQLite; PostgreSQL's <c>ILIKE</c> folds more). At most <see cref="MaxSearchLength"/> characters;
/// empty or null searches nothing. A search examines at most <see cref="MaxSearchExamined"/> candidate rows per call:
/// when it stops there the page holds what it found (maybe fewer than <see cref="Limit"/>, maybe none) and
/// <see cref="ConversationPage.Next"/> is where to go on, so a caller pages on until <c>Next</c> is null.
/// </param>
public sealed record ConversationQuery(
    long AccountId,
    string? Kind = null,
    long? From = null,
    long? To = null,
    ConversationCursor? After = null,
    int Limit = 50,
    string? Search = null)
{
    /// <summary>The longest <see cref="Search"/>.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>How many rows that pass the database's pre-filter one searching call reads and checks at most.</summary>
    public const int MaxSearchExamined = 5_000;
}

/// <summary>Where a page ends: the last item's <c>endAt</c> and <c>channel.id</c>.</summary>
public readonly record struct ConversationCursor(long EndAt, long ChatId);

/// <summary>One page; <see cref="Next"/> is null on the last one.</summary>
public sealed record ConversationPage(IReadOnlyList<StoredConversation> Items, ConversationCursor? Next)
{
    /// <summary>
    /// The page of a query that read one row more than <paramref name="limit"/> (every dialect does): the extra row
    /// only says that a next page exists, and the last kept row is where it starts.
    /// </summary>
    public static ConversationPage FromOneExtra(List<StoredConversation> items, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (items.Count <= limit)
        {
            return new ConversationPage(items, null);
        }
        items.RemoveRange(limit, items.Count - limit);
        var last = items[^1];
        return new ConversationPage(items, new ConversationCursor(last.EndAt ?? 0, last.ChatId));
    }
}
