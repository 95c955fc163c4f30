using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Email;

/// <summary>An <c>email</c> destination's stored config (the password is a secret, in <see cref="EmailSecrets"/>).</summary>
/// <param name="Tls"><see cref="None"/>, <see cref="StartTls"/> or <see cref="TlsOnConnect"/> (<c>"none"</c>, <c>"starttls"</c>, <c>"tls"</c>).</param>
/// <param name="Username">Who to log in as; null: no login.</param>
/// <param name="Subject">The subject's template; null: <see cref="EmailMessages.DefaultSubject"/>.</param>
public sealed record EmailConfig(string Host, int Port, string Tls, string? Username, string From, IReadOnlyList<string> To, bool ToVisitor, string? Subject)
{
    public const string Kind = "email";
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string TlsOnConnect = "tls";

    /// <summary>The usual port for each <c>tls</c>: 25 in the clear, 587 for submission with STARTTLS, 465 for TLS from the start.</summary>
    public static int DefaultPort(string tls) => tls switch { None => 25, TlsOnConnect => 465, _ => 587 };
}

/// <summary>An <c>email</c> destination's secrets: the SMTP password, as given.</summary>
public sealed record EmailSecrets(string Password);

/// <summary>The source-generated JSON of an <c>email</c> destination's config and secrets.</summary>
internal static class EmailConfigJson
{
    public static string Serialize(EmailConfig config) => JsonSerializer.Serialize(config, EmailConfigJsonContext.Default.EmailConfig);

    public static string Serialize(EmailSecrets secrets) => JsonSerializer.Serialize(secrets, EmailConfigJsonContext.Default.EmailSecrets);

    public static EmailConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EmailConfigJsonContext.Default.EmailConfig) ?? throw new JsonException("An email destination's config is null.");

    public static EmailSecrets? DeserializeSecrets(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, EmailConfigJsonContext.Default.EmailSecrets);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EmailConfig))]
[JsonSerializable(typeof(EmailSecrets))]
internal sealed partial class EmailConfigJsonContext : JsonSerializerContext;
