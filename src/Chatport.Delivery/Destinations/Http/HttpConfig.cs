using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// What an <c>http</c> destination keeps in its config (its secrets are in <see cref="HttpSecrets"/>): a templated
/// request (<see cref="Url"/>, <see cref="Method"/>, <see cref="ContentType"/>, <see cref="Template"/>), or a
/// <see cref="Preset"/> with the credentials that are not secret and an optional <see cref="BaseUrl"/>.
/// </summary>
internal sealed record HttpConfig
{
    public const string Kind = "http";

    public string? Preset { get; init; }

    /// <summary>The plain kind's target (the Slack and Teams presets keep theirs in the secrets: it is their credential).</summary>
    public string? Url { get; init; }

    /// <summary>POST, PUT or PATCH; POST when absent.</summary>
    public string? Method { get; init; }

    public string? ContentType { get; init; }

    public string? Template { get; init; }

    /// <summary>Replaces a vendor's origin (tests, a proxy, a regional host); the preset keeps the vendor's paths.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Zendesk: the account's subdomain (<c>{subdomain}.zendesk.com</c>).</summary>
    public string? Subdomain { get; init; }

    /// <summary>Zendesk: the agent whose API token signs in.</summary>
    public string? Email { get; init; }

    /// <summary>Freshdesk: <c>{domain}.freshdesk.com</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>Pipedrive: <c>{companyDomain}.pipedrive.com</c>.</summary>
    public string? CompanyDomain { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, HttpConfigJsonContext.Default.HttpConfig);

    public static HttpConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, HttpConfigJsonContext.Default.HttpConfig) ?? throw new JsonException("An http destination's config is null.");
}

/// <summary>An <c>http</c> destination's secrets: header values, the auth's values, a preset's token, key or webhook URL.</summary>
internal sealed record HttpSecrets
{
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>The <c>auth</c> object as given: <c>type</c> and <c>username</c>/<c>password</c>, <c>token</c>, or <c>name</c>/<c>value</c>.</summary>
    public Dictionary<string, string>? Auth { get; init; }

    /// <summary>Zendesk's API token; HubSpot's private-app token.</summary>
    public string? Token { get; init; }

    /// <summary>Freshdesk's API key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Pipedrive's API token.</summary>
    public string? ApiToken { get; init; }

    /// <summary>Slack's incoming-webhook URL, Teams' Workflows URL: whoever has it can post.</summary>
    public string? Url { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, HttpConfigJsonContext.Default.HttpSecrets);

    public static HttpSecrets Deserialize(string? json) =>
        json is null ? new HttpSecrets() : JsonSerializer.Deserialize(json, HttpConfigJsonContext.Default.HttpSecrets) ?? new HttpSecrets();
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpConfig))]
[JsonSerializable(typeof(HttpSecrets))]
internal sealed partial class HttpConfigJsonContext : JsonSerializerContext;
