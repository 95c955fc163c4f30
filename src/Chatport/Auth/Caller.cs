using System.Globalization;
using System.Security.Claims;

namespace Chatport.Auth;

/// <summary>Who is calling: the admin, or one account through one of its keys.</summary>
internal static class Caller
{
    public const string AdminRole = "admin";
    public const string AccountRole = "account";
    public const string AccountClaim = "chatport:account";
    public const string AdminPolicy = "admin";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>The account an account key belongs to; null for the admin.</summary>
    public static long? AccountId(this ClaimsPrincipal user) =>
        user.FindFirst(AccountClaim)?.Value is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    public static bool CanAccess(this ClaimsPrincipal user, long accountId) => user.IsAdmin() || user.AccountId() == accountId;
}
