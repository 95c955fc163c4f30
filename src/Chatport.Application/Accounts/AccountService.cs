using Chatport.Storage;
using Chatport.Storage.Accounts;

namespace Chatport.Application.Accounts;

/// <summary>Accounts: the tenants conversations, destinations and keys belong to.</summary>
public sealed class AccountService(IChatportStore store)
{
    public const int DefaultPage = 50;

    /// <summary>Creates the account or changes it; <see cref="ResultStatus.Created"/> when it is new.</summary>
    public async Task<Result<Account>> PutAsync(long accountId, AccountRequest? request, CancellationToken cancellationToken = default)
    {
        var errors = AccountValidation.Validate(accountId, request, out var change);
        if (change is null)
        {
            return Result<Account>.Invalid(errors, "The account was not saved; see errors.");
        }
        var (account, created) = await store.UpsertAccountAsync(change, cancellationToken);
        return created ? Result<Account>.Created(account) : Result<Account>.Ok(account);
    }

    public async Task<Result<Account>> GetAsync(long accountId, CancellationToken cancellationToken = default) =>
        await store.GetAccountAsync(accountId, cancellationToken) is { } account
            ? Result<Account>.Ok(account)
            : NotFound<Account>(accountId);

    /// <summary>
    /// Accounts by id, from the first after <paramref name="afterId"/>; <paramref name="limit"/> 1 to
    /// <see cref="AccountPage.MaxLimit"/> (default <see cref="DefaultPage"/>). <see cref="AccountPage.Next"/> is the
    /// last one's id when there may be more.
    /// </summary>
    public async Task<Result<AccountPage>> ListAsync(long? afterId, int? limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > AccountPage.MaxLimit)
        {
            return Result<AccountPage>.Invalid("limit", $"limit must be between 1 and {AccountPage.MaxLimit}.");
        }
        return Result<AccountPage>.Ok(await store.ListAccountsAsync(afterId, limit ?? DefaultPage, cancellationToken));
    }

    /// <summary>The answer for an account that does not exist, worded once.</summary>
    public static Result<T> NotFound<T>(long accountId) => Result<T>.NotFound($"There is no account {accountId}.");
}
