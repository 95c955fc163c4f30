using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>The webhook config's and secrets' JSON, as the store keeps them.</summary>
public static class WebhookConfigJson
{
    public static string Serialize(WebhookConfig config) => JsonSerializer.Serialize(config, WebhookConfigJsonContext.Default.WebhookConfig);

    public static WebhookConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, WebhookConfigJsonContext.Default.WebhookConfig)
        ?? throw new JsonException("A webhook destination's config is null.");

    public static string Serialize(WebhookSecrets secrets) => JsonSerializer.Serialize(secrets, SecretsContext.Default.WebhookSecrets);

    public static WebhookSecrets? DeserializeSecrets(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, SecretsContext.Default.WebhookSecrets);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookConfig))]
internal sealed partial class WebhookConfigJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookSecrets))]
internal sealed partial class SecretsContext : JsonSerializerContext;
