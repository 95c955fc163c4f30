namespace Chatport.Storage.Sources;

/// <summary>
/// An inbound POST hook of an account: conversations POSTed to <c>/hooks/{Token}</c> are filed under it.
/// </summary>
/// <param name="Auth"><c>token</c>, <c>basic</c>, <c>standard</c> or <c>smartsupp-hmac</c>.</param>
/// <param name="Token">The unguessable part of the hook's URL.</param>
/// <param name="Username">For <c>basic</c>.</param>
/// <param name="Secret">For <c>basic</c> (the password), <c>standard</c> (a <c>whsec_</c> secret) and <c>smartsupp-hmac</c>.</param>
public sealed record HookSource(
    string Id,
    long AccountId,
    string Name,
    string Auth,
    string Token,
    string? Username,
    string? Secret,
    DateTimeOffset CreatedAt);
