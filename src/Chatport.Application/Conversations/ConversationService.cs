using Chatport.Contract;
using Chatport.Storage;
using Chatport.Storage.Conversations;
using Chatport.Tracking;

namespace Chatport.Application.Conversations;

/// <summary>A page of conversations; <see cref="Next"/> is the opaque cursor of the next page, null on the last.</summary>
public sealed record ConversationListing(IReadOnlyList<StoredConversation> Items, string? Next);

/// <summary>One conversation as it is read back: its stored row and the body to show (the current generation of the contract).</summary>
public sealed record ConversationRead(StoredConversation Stored, byte[] Body);

/// <summary>Finished conversations, read back: listed, searched, one, and every version of one.</summary>
public sealed class ConversationService(IChatportStore store)
{
    public const int DefaultPage = 50;

    public const int MaxPage = 500;

    /// <summary>
    /// An account's conversations, newest <c>endAt</c> first. <paramref name="kind"/>: completed, missed, offline,
    /// dropped or chat; <paramref name="from"/>/<paramref name="to"/>: epoch ms or ISO 8601, on <c>endAt</c>;
    /// <paramref name="search"/>: text in the visitor's name or e-mail or a message, ignoring case, at most
    /// <see cref="ConversationQuery.MaxSearchLength"/> characters (empty is none); <paramref name="after"/>: the
    /// previous page's <see cref="ConversationListing.Next"/>; <paramref name="limit"/>: 1 to <see cref="MaxPage"/>
    /// (default <see cref="DefaultPage"/>). A search reads a bounded number of rows a call
    /// (<see cref="ConversationQuery.MaxSearchExamined"/>), so its page may hold fewer than the limit, or none,
    /// with a next cursor all the same: page on until next is null.
    /// </summary>
    public async Task<Result<ConversationListing>> ListAsync(
        long accountId, string? kind, string? from, string? to, string? search, string? after, int? limit,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (kind is not null && !ConversationKinds.IsKnown(kind))
        {
            errors["kind"] = [$"kind must be one of completed, missed, offline, dropped, chat; not \"{kind}\"."];
        }
        if (!TimeParameter.TryParse(from, out var fromMs))
        {
            errors["from"] = ["from must be epoch milliseconds or an ISO 8601 time."];
        }
        if (!TimeParameter.TryParse(to, out var toMs))
        {
            errors["to"] = ["to must be epoch milliseconds or an ISO 8601 time."];
        }
        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPage}."];
        }
        ConversationCursor? cursor = null;
        if (after is not null)
        {
            if (Cursors.TryDecode(after, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API gave out; pass the previous page's next as it is."];
            }
        }
        if (errors.Count > 0)
        {
            return Result<ConversationListing>.Invalid(errors);
        }
        if (search is { Length: > ConversationQuery.MaxSearchLength })
        {
            return Result<ConversationListing>.Invalid(
                $"A search is at most {ConversationQuery.MaxSearchLength} characters; this one has {search.Length}.");
        }
        var query = new ConversationQuery(accountId, kind, fromMs, toMs, cursor, limit ?? DefaultPage, string.IsNullOrEmpty(search) ? null : search);
        var page = await store.ListConversationsAsync(query, cancellationToken);
        return Result<ConversationListing>.Ok(new ConversationListing(page.Items, page.Next is { } next ? Cursors.Encode(next) : null));
    }

    /// <summary>
    /// The latest version: the stored bytes, exactly as received or built; only an older-generation body is
    /// normalized (docs/architecture.md, "The conversation contract").
    /// </summary>
    public async Task<Result<ConversationRead>> GetAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        var stored = await store.GetConversationAsync(accountId, chatId, cancellationToken);
        if (stored is null)
        {
            return NotFound<ConversationRead>(accountId, chatId);
        }
        var parsed = ContractJson.Parse(stored.Body);
        var body = ConversationNormalizer.IsOlderGeneration(parsed) ? ContractJson.Serialize(ConversationNormalizer.Normalize(parsed)) : stored.Body;
        return Result<ConversationRead>.Ok(new ConversationRead(stored, body));
    }

    /// <summary>
    /// Every version of a conversation, newest first, each with its body as stored (not normalized); at most
    /// <see cref="StoredConversationVersion.MaxListed"/>, the newest.
    /// </summary>
    public async Task<Result<IReadOnlyList<StoredConversationVersion>>> VersionsAsync(long accountId, long chatId, CancellationToken cancellationToken = default)
    {
        var versions = await store.ListConversationVersionsAsync(accountId, chatId, cancellationToken);
        return versions.Count == 0
            ? NotFound<IReadOnlyList<StoredConversationVersion>>(accountId, chatId)
            : Result<IReadOnlyList<StoredConversationVersion>>.Ok(versions);
    }

    private static Result<T> NotFound<T>(long accountId, long chatId) => Result<T>.NotFound($"Account {accountId} has no conversation {chatId}.");
}
