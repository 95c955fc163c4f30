using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>The webhook config's JSON, as the store keeps it.</summary>
public static class WebhookConfigJson
{
    public static string Serialize(WebhookConfig config) => JsonSerializer.Serialize(config, WebhookConfigJsonContext.Default.WebhookConfig);

    public static WebhookConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, WebhookConfigJsonContext.Default.WebhookConfig)
        ?? throw new JsonException("A webhook destination's config is null.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookConfig))]
internal sealed partial class WebhookConfigJsonContext : JsonSerializerContext;
