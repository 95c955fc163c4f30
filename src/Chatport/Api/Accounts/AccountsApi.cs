using Chatport.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Api.Accounts;

/// <summary><c>PUT/GET /v1/accounts/{accountId}</c>.</summary>
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

    private static async Task<Results<Created<AccountResponse>, Ok<AccountResponse>, ValidationProblem>> PutAsync(
        long accountId, AccountRequest? request, IChatportStore store, CancellationToken cancellationToken)
    {
        var errors = AccountValidation.Validate(accountId, request, out var change);
        if (change is null)
        {
            return TypedResults.ValidationProblem(errors, detail: "The account was not saved; see errors.");
        }
        var (account, created) = await store.UpsertAccountAsync(change, cancellationToken);
        var response = AccountResponse.From(account);
        return created
            ? TypedResults.Created($"/v1/accounts/{account.Id}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> GetAsync(
        long accountId, IChatportStore store, CancellationToken cancellationToken)
    {
        var account = await store.GetAccountAsync(accountId, cancellationToken);
        return account is null
            ? ApiProblems.NotFound($"There is no account {accountId}.")
            : TypedResults.Ok(AccountResponse.From(account));
    }
}
