using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>A <c>sql</c> destination's stored config: which database engine and the table prefix (the connection string is a secret).</summary>
internal sealed record SqlConfig(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("tablePrefix")] string TablePrefix)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string DefaultPrefix = "chatport_";

    public string Serialize() => JsonSerializer.Serialize(this);

    public static SqlConfig Deserialize(string json) => JsonSerializer.Deserialize<SqlConfig>(json)!;
}

/// <summary>A <c>sql</c> destination's secrets: the connection string, as given.</summary>
internal sealed record SqlSecrets([property: JsonPropertyName("connectionString")] string ConnectionString)
{
    public string Serialize() => JsonSerializer.Serialize(this);

    public static SqlSecrets? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize<SqlSecrets>(json);
}
