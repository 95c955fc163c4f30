namespace Chatport.Retention;

/// <summary><c>Chatport:Retention</c>: how long the records that only grow are kept (see <see cref="StorePruner"/>).</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Chatport:Retention";

    /// <summary>How long live events (their idempotency) and the attempt log of deliveries are kept; default 30 days.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often older ones are forgotten; default every hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most rows of each deleted in one transaction; default 5,000.</summary>
    public int BatchSize { get; set; } = 5000;
}
