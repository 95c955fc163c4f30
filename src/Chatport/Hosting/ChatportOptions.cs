namespace Chatport.Hosting;

/// <summary>Settings under <c>Chatport</c> that belong to no single feature.</summary>
internal sealed class ChatportOptions
{
    public const string Section = "Chatport";

    /// <summary>Where SQLite and files live (default <c>./data</c>).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// The admin API key. When unset, <c>serve</c> makes one and keeps it in <c>{DataDir}/admin.key</c>.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// On SIGTERM (or Ctrl+C), how long in-flight requests and delivery attempts may take to finish before the node
    /// stops waiting for them (default 30 s). Their results are written and what was not sent is released to the
    /// other nodes (or to the next start) either way.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
