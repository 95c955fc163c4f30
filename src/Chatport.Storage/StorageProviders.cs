namespace Chatport.Storage;

/// <summary>The values of <c>Chatport:Storage:Provider</c>.</summary>
public static class StorageProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
