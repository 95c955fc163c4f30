using System.Globalization;
using System.Security.Claims;
using Chatport.Application.Keys;
using Chatport.Storage;
using Chatport.Storage.Keys;

namespace Chatport.Auth;

/// <summary>
/// What a presented API key is: the admin key, a live account key, or neither (and why, in plain words). The one
/// rule both front doors use — the API's bearer handler and the portal's sign-in — so a key the API refuses cannot
/// open the portal, and the other way round.
/// </summary>
internal sealed class KeyCheck(AdminKey adminKey, IChatportStore store)
{
    /// <summary>The claims of a key: for the admin, the admin role; for an account key, its id, the account role and its account.</summary>
    public sealed record Outcome(Claim[]? Claims, string? Failure)
    {
        public bool Succeeded => Claims is not null;
    }

    public async Task<Outcome> CheckAsync(string key, CancellationToken cancellationToken)
    {
        if (adminKey.Matches(key))
        {
            return new Outcome([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Caller.AdminRole)], null);
        }
        if (key.StartsWith(ApiKeys.AccountPrefix, StringComparison.Ordinal)
            && await store.FindApiKeyAsync(ApiKeys.Hash(key), cancellationToken) is { } record)
        {
            return record.RevokedAt is not null
                ? new Outcome(null, $"The API key {record.Prefix}… was revoked.")
                : new Outcome(AccountClaims(record), null);
        }
        return new Outcome(null, "The API key is not valid.");
    }

    public static Claim[] AccountClaims(ApiKeyRecord record) =>
    [
        new Claim(ClaimTypes.Name, record.Id),
        new Claim(ClaimTypes.Role, Caller.AccountRole),
        new Claim(Caller.AccountClaim, record.AccountId.ToString(CultureInfo.InvariantCulture)),
    ];
}
