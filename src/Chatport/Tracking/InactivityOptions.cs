namespace Chatport.Tracking;

/// <summary>Settings under <c>Chatport:Tracking</c>.</summary>
internal sealed class InactivityOptions
{
    public const string Section = "Chatport:Tracking";

    /// <summary>How often open chats are checked against their account's inactivity timeout (default 1 s).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most chats finished in one transaction (default 500).</summary>
    public int BatchSize { get; set; } = 500;
}
