namespace Chatport.Sources.Import;

/// <summary>Settings under <c>Chatport:Import</c>.</summary>
internal sealed class ImportOptions
{
    public const string Section = "Chatport:Import";

    /// <summary>The largest <c>POST /v1/conversations</c> body, in bytes (default 16 MiB); past it the answer is 413.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most conversations in one request (default 10,000: a 16 MiB body of conversations like the seed sample holds
    /// about 9,000); past it the answer is 413 and none is read.
    /// </summary>
    public int MaxConversationsPerRequest { get; set; } = 10_000;
}
