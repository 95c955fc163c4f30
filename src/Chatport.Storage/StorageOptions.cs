namespace Chatport.Storage;

/// <summary>Settings under <c>Chatport:Storage</c> (and <c>Chatport:DataDir</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Chatport:Storage";

    /// <summary><c>sqlite</c> (default: one file under <see cref="DataDir"/>) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>
    /// The database's connection string. For SQLite it defaults to <c>Data Source={DataDir}/chatport.db</c>;
    /// PostgreSQL needs one.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where SQLite and files live; bound from <c>Chatport:DataDir</c>, default <c>./data</c>.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// PostgreSQL: the longest one statement may run (default 30 s). The server enforces it (<c>statement_timeout</c>),
    /// so a slow statement is stopped without the node having to cancel it; a transaction left idle for twice this long
    /// is ended by the server too. Past it the request answers 503 and nothing of it is kept.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// PostgreSQL: the longest wait for a connection, whether the pool is exhausted or the database is unreachable
    /// (default 5 s). Past it the request answers 503 with <c>Retry-After</c> instead of queueing.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
