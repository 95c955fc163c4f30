using Chatport.Storage.Sources;

namespace Chatport.Sources.Hooks;

/// <summary>The body of <c>POST /v1/accounts/{accountId}/sources</c>.</summary>
/// <param name="Kind"><c>hook</c>.</param>
/// <param name="Auth"><c>token</c> (default), <c>basic</c>, <c>standard</c> or <c>smartsupp-hmac</c>.</param>
/// <param name="Secret">For basic (the password), standard (a <c>whsec_</c> secret) and smartsupp-hmac; made when absent.</param>
/// <param name="Username">For basic (default "chatport").</param>
internal sealed record SourceRequest(string? Kind, string? Name, string? Auth, string? Secret, string? Username);

/// <summary>An inbound hook; <see cref="Secret"/> only in the answer that made it.</summary>
/// <param name="Url">Where senders POST: <c>/hooks/TOKEN</c> on this server.</param>
internal sealed record SourceResponse(string Id, long AccountId, string Kind, string Name, string Auth, string Url, string? Username, DateTimeOffset CreatedAt, string? Secret)
{
    public static SourceResponse From(HookSource s, bool showSecret = false) =>
        new(s.Id, s.AccountId, "hook", s.Name, s.Auth, $"/hooks/{s.Token}", s.Username, s.CreatedAt, showSecret ? s.Secret : null);
}

/// <summary>What an inbound hook did with a body.</summary>
/// <param name="Status"><c>created</c>, <c>newVersion</c> or <c>duplicate</c>.</param>
internal sealed record HookReceipt(string Status, long AccountId, long ChatId, int Version);
