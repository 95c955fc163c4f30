namespace Chatport.Hosting;

/// <summary>Settings under <c>Chatport</c> that belong to no single feature.</summary>
public sealed class ChatportOptions
{
    public const string Section = "Chatport";

    /// <summary>Where SQLite and files live (default <c>./data</c>).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// The admin API key. When unset, <c>serve</c> makes one and keeps it in <c>{DataDir}/admin.key</c>.
    /// </summary>
    public string? AdminKey { get; set; }
}
