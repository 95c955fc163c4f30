using Chatport.Storage.Accounts;

namespace Chatport.Api.Accounts;

/// <summary>An account as the API shows it.</summary>
internal sealed record AccountResponse(
    long AccountId,
    string Name,
    string Plan,
    int InactivityTimeoutSeconds,
    string TimeZone,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static AccountResponse From(Account account) => new(
        account.Id, account.Name, AccountPlans.ToText(account.Plan), account.InactivityTimeoutSeconds, account.TimeZone,
        account.CreatedAt, account.UpdatedAt);
}

/// <summary>A page of accounts by id; pass <see cref="Next"/> as <c>after</c> for the next one.</summary>
internal sealed record AccountList(IReadOnlyList<AccountResponse> Items, string? Next);
