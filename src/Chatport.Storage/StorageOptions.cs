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
}
