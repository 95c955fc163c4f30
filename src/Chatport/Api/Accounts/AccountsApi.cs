using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api.Accounts;

/// <summary><c>PUT/GET /v1/accounts/{accountId}</c> and <c>GET /v1/accounts</c>.</summary>
internal static class AccountsApi
{
    public static IHostApplicationBuilder AddAccountsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // A misspelt field is a 400 that names it, not a setting silently ignored.
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        return builder;
    }

    /// <summary>Maps on the <c>/v1/accounts/{accountId}</c> group.</summary>
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder account)
    {
        account.MapPut("/", PutAsync).RequireAuthorization(Auth.Caller.AdminPolicy).WithTags("Accounts")
            .WithSummary("Create or update an account (admin)")
            .WithDescription("Answers 201 when the account is new, 200 when it was updated.");
        account.MapGet("/", GetAsync).WithTags("Accounts").WithSummary("Read an account");
        return account;
    }

    /// <summary>Maps <c>GET /v1/accounts</c> (admin) on the <c>/v1</c> group.</summary>
    public static RouteGroupBuilder MapAccountList(this RouteGroupBuilder v1)
    {
        v1.MapGet("/accounts", ListAsync).RequireAuthorization(Auth.Caller.AdminPolicy).WithTags("Accounts")
            .WithSummary("List accounts (admin)")
            .WithDescription("By id. limit: 1 to 500 (default 50); after: the previous page's next.");
        return v1;
    }

    private static async Task<Results<Ok<AccountList>, ValidationProblem, ProblemHttpResult>> ListAsync(
        int? limit, string? after, AccountService accounts, CancellationToken cancellationToken)
    {
        long? afterId = null;
        if (after is not null)
        {
            if (!Cursors.TryDecodeAccount(after, out var decoded))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["after"] = ["after is not one this API gave out; pass the previous page's next as it is."],
                });
            }
            afterId = decoded;
        }
        return ResultResponses.Ok(await accounts.ListAsync(afterId, limit, cancellationToken),
            page => new AccountList([.. page.Items.Select(AccountResponse.From)], page.Next is { } next ? Cursors.EncodeAccount(next) : null));
    }

    private static async Task<Results<Created<AccountResponse>, Ok<AccountResponse>, ValidationProblem>> PutAsync(
        long accountId, AccountRequest? request, AccountService accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.PutAsync(accountId, request, cancellationToken);
        return result.Status switch
        {
            ResultStatus.Created => TypedResults.Created($"/v1/accounts/{accountId}", AccountResponse.From(result.Value!)),
            ResultStatus.Ok => TypedResults.Ok(AccountResponse.From(result.Value!)),
            _ => TypedResults.ValidationProblem(result.Errors!, detail: result.Detail),
        };
    }

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        long accountId, AccountService accounts, CancellationToken cancellationToken) =>
        ResultResponses.Ok(await accounts.GetAsync(accountId, cancellationToken), AccountResponse.From);
}
