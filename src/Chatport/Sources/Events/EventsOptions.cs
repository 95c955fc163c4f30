namespace Chatport.Sources.Events;

/// <summary>Settings under <c>Chatport:Events</c>.</summary>
internal sealed class EventsOptions
{
    public const string Section = "Chatport:Events";

    /// <summary>The largest <c>POST /v1/events</c> body, in bytes (default 5 MiB); past it the answer is 413.</summary>
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The most events in one request (default 10,000).</summary>
    public int MaxEventsPerRequest { get; set; } = 10_000;
}
