using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatport.Auth;

/// <summary>
/// Guards every <c>/v1/accounts/{accountId}/…</c> call: the admin reaches every account, an account key only
/// its own. Anything else is a 403 that says which account the key belongs to.
/// </summary>
internal sealed class AccountScopeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var user = context.HttpContext.User;
        var routeValue = context.HttpContext.GetRouteValue("accountId") as string;
        if (user.IsAdmin() || !long.TryParse(routeValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var accountId)
            || user.CanAccess(accountId))
        {
            return await next(context);
        }
        return Forbidden(user.AccountId(), accountId);
    }

    public static ProblemHttpResult Forbidden(long? keyAccount, long wanted, IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: $"This API key belongs to account {keyAccount}; it cannot act for account {wanted}. Nothing was stored.",
        extensions: extensions);
}
