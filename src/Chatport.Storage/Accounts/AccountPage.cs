namespace Chatport.Storage.Accounts;

/// <summary>A page of accounts by id; <see cref="Next"/> (the last one's id) is null on the last page.</summary>
public sealed record AccountPage(IReadOnlyList<Account> Items, long? Next)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;
}
