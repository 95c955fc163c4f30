namespace Chatport.RateLimits;

/// <summary>
/// Settings under <c>Chatport:RateLimits</c>. Each limit is a fixed window: at most <see cref="WindowLimit.PermitLimit"/>
/// in each <see cref="WindowLimit.Window"/>; a <see cref="WindowLimit.PermitLimit"/> of 0 turns it off. What is over a
/// limit is answered 429 with <c>Retry-After</c> and a problem detail that says which limit.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "Chatport:RateLimits";

    /// <summary>
    /// Wrong API keys per client address (an IPv6 address counts by its /64): on by default, 100 a minute. Past it,
    /// every call from that address that sends a key is refused until the window ends, a right key too (else the
    /// 429s would tell a guesser which key was right). Right keys are never counted.
    /// </summary>
    public WindowLimit FailedAuth { get; set; } = new() { PermitLimit = 100, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Calls to <c>/v1</c> per account key; off by default. The admin key is never limited.</summary>
    public WindowLimit AccountKey { get; set; } = new();

    /// <summary>Requests to <c>/hooks/{token}</c> per source (per hook URL); off by default.</summary>
    public WindowLimit Hook { get; set; } = new();
}

/// <summary>At most <see cref="PermitLimit"/> in each <see cref="Window"/>; 0 turns the limit off.</summary>
internal sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public bool On => PermitLimit > 0;

    public bool IsValid => PermitLimit >= 0 && Window >= TimeSpan.FromMilliseconds(1);
}
