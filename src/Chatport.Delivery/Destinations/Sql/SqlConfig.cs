using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Sql;

/// <summary>A <c>sql</c> destination's stored config: which database engine and the table prefix (the connection string is a secret).</summary>
internal sealed record SqlConfig(string Provider, string TablePrefix)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string DefaultPrefix = "chatport_";

    public string Serialize() => JsonSerializer.Serialize(this, SqlConfigJsonContext.Default.SqlConfig);

    public static SqlConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SqlConfigJsonContext.Default.SqlConfig) ?? throw new JsonException("A sql destination's config is null.");
}

/// <summary>A <c>sql</c> destination's secrets: the connection string, as given.</summary>
internal sealed record SqlSecrets(string ConnectionString)
{
    public string Serialize() => JsonSerializer.Serialize(this, SqlConfigJsonContext.Default.SqlSecrets);

    public static SqlSecrets? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize(json, SqlConfigJsonContext.Default.SqlSecrets);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SqlConfig))]
[JsonSerializable(typeof(SqlSecrets))]
internal sealed partial class SqlConfigJsonContext : JsonSerializerContext;
