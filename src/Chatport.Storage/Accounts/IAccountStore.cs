namespace Chatport.Storage.Accounts;

/// <summary>Accounts in the store.</summary>
public interface IAccountStore
{
    Task<Account?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accounts by id, from the first one after <paramref name="afterId"/> (from the start when null), at most
    /// <paramref name="limit"/> (1 to <see cref="AccountPage.MaxLimit"/>).
    /// </summary>
    Task<AccountPage> ListAccountsAsync(long? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Creates the account or updates it; <c>Created</c> tells which happened.</summary>
    Task<(Account Account, bool Created)> UpsertAccountAsync(AccountChange change, CancellationToken cancellationToken = default);
}
