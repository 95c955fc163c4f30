namespace Chatport.Sources.Hooks;

/// <summary>Settings under <c>Chatport:Hooks</c>.</summary>
internal sealed class HookOptions
{
    public const string Section = "Chatport:Hooks";

    /// <summary>The largest inbound body, in bytes (default 1 MiB); past it the answer is 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How far a Standard Webhooks timestamp may be from the server's clock (default 5 minutes).</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
