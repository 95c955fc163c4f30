using Chatport.Storage.Keys;

namespace Chatport.Api.Keys;

/// <summary>The body of <c>POST /v1/accounts/{accountId}/keys</c>.</summary>
/// <param name="Name">What the key is for, e.g. "chat platform" (optional).</param>
internal sealed record KeyRequest(string? Name);

/// <summary>A key as listed: never the key itself.</summary>
internal sealed record KeyResponse(string Id, long AccountId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(ApiKeyRecord r) => new(r.Id, r.AccountId, r.Name, r.Prefix, r.CreatedAt, r.RevokedAt);
}

/// <summary>A new key: <see cref="Key"/> is shown this once and cannot be read again.</summary>
internal sealed record CreatedKeyResponse(string Id, long AccountId, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);
