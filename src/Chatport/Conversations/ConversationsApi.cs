using Chatport.Api;
using Chatport.Application.Conversations;
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
                + "limit: 1 to 500 (default 50); cursor: the previous page's next. "
                + "q: text (at most 200 characters) found, ignoring case, in the visitor's name or e-mail or a message's content; "
                + "a search reads at most 5,000 candidates a call, so its page may hold fewer items than limit, or none, with a next cursor: page on until next is null.");
        conversations.MapGet("/{chatId}", GetAsync)
            .WithSummary("Read one conversation as the seed's JSON")
            .WithDescription($"The latest version, normalized to the current generation of the contract; its version is in the {VersionHeader} header.");
        conversations.MapGet("/{chatId}/versions", VersionsAsync)
            .WithSummary("Every version of one conversation, newest first")
            .WithDescription("At most the newest 100; each with its version, source (live, import, hook), storedAt and its body as stored.");
        return account;
    }

    private static async Task<Results<Ok<ConversationList>, ValidationProblem, ProblemHttpResult>> ListAsync(
        long accountId, string? kind, string? from, string? to, string? q, int? limit, string? cursor,
        ConversationService conversations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await conversations.ListAsync(accountId, kind, from, to, q, cursor, limit, cancellationToken),
            page => new ConversationList([.. page.Items.Select(ConversationSummary.From)], page.Next));

    private static async Task<IResult> GetAsync(
        long accountId, long chatId, HttpResponse response, ConversationService conversations, CancellationToken cancellationToken)
    {
        var result = await conversations.GetAsync(accountId, chatId, cancellationToken);
        if (!result.Succeeded)
        {
            var (validation, problem) = ResultResponses.Problem(result);
            return validation is not null ? validation : problem!;
        }
        var (stored, body) = result.Value!;
        response.Headers[VersionHeader] = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.ETag = $"\"{stored.AccountId}-{stored.ChatId}-v{stored.Version}\"";
        return TypedResults.Bytes(body, "application/json");
    }

    private static async Task<Results<Ok<ConversationVersionList>, ValidationProblem, ProblemHttpResult>> VersionsAsync(
        long accountId, long chatId, ConversationService conversations, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await conversations.VersionsAsync(accountId, chatId, cancellationToken),
            versions => new ConversationVersionList([.. versions.Select(ConversationVersionResponse.From)]));
}
