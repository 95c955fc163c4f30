using Chatport.Storage.Sources;

namespace Chatport.Sources.Hooks;

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
