using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Chatport.RateLimits;

namespace Chatport.Auth;

/// <summary>
/// <c>Authorization: Bearer KEY</c>. A missing or wrong key is a 401 problem detail that says which,
/// with <c>WWW-Authenticate: Bearer</c>; the key itself never reaches a log. Wrong keys are counted per client
/// address (<see cref="FailedAuthLimiter"/>): past the limit, a call with any key from there is a 429 with
/// <c>Retry-After</c>, and its key is not looked at.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyCheck keys,
    IProblemDetailsService problems,
    FailedAuthLimiter failedAuth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string FailureKey = "chatport.auth.failure";
    private const string RetryAfterKey = "chatport.auth.retryAfter";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Fail("Send an API key: Authorization: Bearer KEY.");
        }
        if (failedAuth.Blocked(Context) is { } wait)
        {
            return TooMany(wait);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Wrong("The Authorization header must use the Bearer scheme: Authorization: Bearer KEY.");
        }
        var outcome = await keys.CheckAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return outcome.Succeeded ? Success(outcome.Claims!) : Wrong(outcome.Failure!);
    }

    private static AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = "This call needs the admin API key; an account's key cannot make it.",
            },
        });
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterKey] is TimeSpan retryAfter)
        {
            await TooManyRequests.WriteAsync(Context, TooManyRequests.FailedAuth, retryAfter, FailedAuthLimiter.Refusal);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[FailureKey] as string ?? "Send an API key: Authorization: Bearer KEY.";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
            },
        });
    }

    /// <summary>A key was sent and is wrong: counted against the client's address.</summary>
    private AuthenticateResult Wrong(string reason) => failedAuth.Failed(Context) is { } wait ? TooMany(wait) : Fail(reason);

    private AuthenticateResult TooMany(TimeSpan retryAfter)
    {
        Context.Items[RetryAfterKey] = retryAfter;
        return AuthenticateResult.Fail("Too many wrong API keys from this address.");
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
