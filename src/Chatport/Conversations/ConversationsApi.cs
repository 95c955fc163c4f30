using Chatport.Api;
using Chatport.Contract;
using Chatport.Storage;
using Chatport.Storage.Conversations;
using Chatport.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Conversations;

/// <summary><c>GET /v1/accounts/{accountId}/conversations[/{chatId}]</c>: finished conversations, read back.</summary>
internal static class ConversationsApi
{
    /// <summary>The header that carries a conversation's version (the body stays the seed's JSON).</summary>
    public const string VersionHeader = "chatport-conversation-version";

    /// <summary>Maps on the <c>/v1/accounts/{accountId}</c> group.</summary>
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder account)
    {
        var conversations = account.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapGet("/", ListAsync)
            .WithSummary("List an account's conversations")
            .WithDescription("Newest endAt first. kind: completed, missed, offline, dropped or chat; from/to: epoch ms or ISO 8601, on endAt; "
                + "limit: 1 to 500 (default 50); cursor: the previous page's next.");
        conversations.MapGet("/{chatId}", GetAsync)
            .WithSummary("Read one conversation as the seed's JSON")
            .WithDescription($"The latest version, normalized to the current generation of the contract; its version is in the {VersionHeader} header.");
        return account;
    }

    private static async Task<Results<Ok<ConversationList>, ValidationProblem>> ListAsync(
        long accountId, string? kind, string? from, string? to, int? limit, string? cursor,
        IChatportStore store, CancellationToken cancellationToken)
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
        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["limit must be between 1 and 500."];
        }
        ConversationCursor? after = null;
        if (cursor is not null)
        {
            if (Cursors.TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API gave out; pass the previous page's next as it is."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var page = await store.ListConversationsAsync(new ConversationQuery(accountId, kind, fromMs, toMs, after, limit ?? 50), cancellationToken);
        return TypedResults.Ok(new ConversationList(
            page.Items.Select(ConversationSummary.From).ToList(),
            page.Next is { } next ? Cursors.Encode(next) : null));
    }

    private static async Task<IResult> GetAsync(
        long accountId, long chatId, HttpResponse response, IChatportStore store, CancellationToken cancellationToken)
    {
        var stored = await store.GetConversationAsync(accountId, chatId, cancellationToken);
        if (stored is null)
        {
            return ApiProblems.NotFound($"Account {accountId} has no conversation {chatId}.");
        }
        // The stored bytes, exactly as received or built; only an older-generation body is normalized
        // (docs/architecture.md, "The conversation contract").
        var parsed = ContractJson.Parse(stored.Body);
        var body = ConversationNormalizer.IsOlderGeneration(parsed) ? ContractJson.Serialize(ConversationNormalizer.Normalize(parsed)) : stored.Body;
        response.Headers[VersionHeader] = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.ETag = $"\"{stored.AccountId}-{stored.ChatId}-v{stored.Version}\"";
        return TypedResults.Bytes(body, "application/json");
    }
}
