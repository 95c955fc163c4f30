namespace Chatport.Application.Sources;

/// <summary>The body of <c>POST /v1/accounts/{accountId}/sources</c>.</summary>
/// <param name="Kind"><c>hook</c>.</param>
/// <param name="Auth"><c>token</c> (default), <c>basic</c>, <c>standard</c> or <c>smartsupp-hmac</c>.</param>
/// <param name="Secret">For basic (the password), standard (a <c>whsec_</c> secret) and smartsupp-hmac; made when absent.</param>
/// <param name="Username">For basic (default "chatport").</param>
public sealed record SourceRequest(string? Kind, string? Name, string? Auth, string? Secret, string? Username);
