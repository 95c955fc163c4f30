using System.Net.Http.Headers;
using Chatport.Delivery.Destinations.Http.Presets;
using Chatport.Delivery.Destinations.Webhook;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// Reads and checks an <c>http</c> destination's fields into its config and secrets. A create gives the whole of it;
/// a patch changes what it names, and a patch that names another preset starts that preset afresh (its credentials
/// must all be given). Every problem is reported under its field, in plain words.
/// </summary>
internal static class HttpSettings
{
    public static readonly string[] PlainFields = ["url", "method", "headers", "auth", "contentType", "template"];

    public static readonly string[] Methods = ["POST", "PUT", "PATCH"];

    public static readonly string[] AuthTypes = ["basic", "bearer", "header"];

    /// <summary>The fields of a create or patch body, read with their types checked.</summary>
    private sealed record Given(
        string? Preset, string? Url, string? Method, Dictionary<string, string>? Headers, Dictionary<string, string>? Auth, string? ContentType,
        string? Template, string? BaseUrl, string? Subdomain, string? Email, string? Token, string? Domain, string? ApiKey, string? CompanyDomain,
        string? ApiToken);

    public static KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var given = new Given(fields.String("preset"), fields.String("url"), fields.String("method"), fields.StringMap("headers"),
            fields.StringMap("auth"), fields.String("contentType"), fields.String("template"), fields.String("baseUrl"), fields.String("subdomain"),
            fields.String("email"), fields.String("token"), fields.String("domain"), fields.String("apiKey"), fields.String("companyDomain"),
            fields.String("apiToken"));
        var before = current is null ? null : HttpConfig.Deserialize(current.Config);
        var beforeSecrets = current is null ? null : HttpSecrets.Deserialize(current.Secrets);
        var presetName = given.Preset ?? before?.Preset;
        HttpPreset? preset = null;
        if (presetName is not null && (preset = HttpPresets.Find(presetName)) is null)
        {
            errors.Add("preset", $"preset must be {HttpPresets.Listed()}, not \"{presetName}\".");
            return current ?? new KindSettings("{}", null);
        }
        // Another preset (or none before) starts from nothing: the old one's credentials do not carry over.
        var fresh = before is null || before.Preset != presetName;
        var config = fresh ? new HttpConfig { Preset = presetName } : before!;
        var secrets = fresh ? new HttpSecrets() : beforeSecrets!;
        var allowed = preset is null ? PlainFields : ["preset", .. preset.Credentials, .. preset.TakesBaseUrl ? ["baseUrl"] : Array.Empty<string>()];
        foreach (var name in AllFields.Where(fields.Has).Where(n => !allowed.Contains(n)))
        {
            errors.Add(name, preset is null
                ? $"{name} belongs to a preset; a templated request (no preset) takes {Words.All(PlainFields)}."
                : $"{name} is not used by the {preset.Name} preset; it takes {Words.All(allowed.Skip(1))}.");
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }

        config = config with
        {
            Url = preset is null ? given.Url ?? config.Url : null,
            Method = given.Method?.ToUpperInvariant() ?? config.Method,
            ContentType = given.ContentType ?? config.ContentType,
            Template = given.Template ?? config.Template,
            BaseUrl = given.BaseUrl ?? config.BaseUrl,
            Subdomain = given.Subdomain ?? config.Subdomain,
            Email = given.Email ?? config.Email,
            Domain = given.Domain ?? config.Domain,
            CompanyDomain = given.CompanyDomain ?? config.CompanyDomain,
        };
        secrets = secrets with
        {
            Headers = given.Headers ?? secrets.Headers,
            Auth = given.Auth ?? secrets.Auth,
            Token = given.Token ?? secrets.Token,
            ApiKey = given.ApiKey ?? secrets.ApiKey,
            ApiToken = given.ApiToken ?? secrets.ApiToken,
            Url = preset is not null ? given.Url ?? secrets.Url : null,
        };
        if (preset is null)
        {
            CheckPlain(config, secrets, given, context, errors);
        }
        else
        {
            CheckPreset(preset, config, secrets, context, errors);
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }
        var secretGiven = given.Headers is not null || given.Auth is not null || given.Token is not null || given.ApiKey is not null
            || given.ApiToken is not null || (preset is not null && given.Url is not null);
        return new KindSettings(config.Serialize(), secrets.Serialize(), Reveal: secretGiven || fresh);
    }

    /// <summary>Every field of the kind that is its own (what the unknown-field check accepts).</summary>
    public static readonly string[] AllFields =
        ["preset", "url", "method", "headers", "auth", "contentType", "template", "baseUrl", "subdomain", "email", "token", "domain", "apiKey", "companyDomain", "apiToken"];

    /// <summary>A credential's value, wherever the kind keeps it.</summary>
    public static string? Credential(string field, HttpConfig config, HttpSecrets secrets) => field switch
    {
        "subdomain" => config.Subdomain,
        "email" => config.Email,
        "domain" => config.Domain,
        "companyDomain" => config.CompanyDomain,
        "token" => secrets.Token,
        "apiKey" => secrets.ApiKey,
        "apiToken" => secrets.ApiToken,
        "url" => secrets.Url,
        _ => null,
    };

    /// <summary>Whether a credential field is a secret (masked in answers).</summary>
    public static bool IsSecret(string field) => field is "token" or "apiKey" or "apiToken" or "url";

    private static void CheckPlain(HttpConfig config, HttpSecrets secrets, Given given, DestinationContext context, FieldErrors errors)
    {
        if (given.Url is not null || config.Url is null)
        {
            WebhookSettings.CheckUrl(config.Url, context.AllowPrivateTargets, errors);
        }
        if (config.Template is null)
        {
            errors.Add("template", "template is required: the Liquid template of the request's body, e.g. {\"text\": {{ transcript.text | json }}}.");
        }
        else if (given.Template is not null && HttpTemplates.Check(config.Template) is { } problem)
        {
            errors.Add("template", problem);
        }
        if (config.Method is { } method && !Methods.Contains(method))
        {
            errors.Add("method", $"method must be {Words.OneOf(Methods.Select(m => $"\"{m}\""))}, not \"{given.Method}\".");
        }
        if (config.ContentType is { } contentType && !MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            errors.Add("contentType", $"contentType must be a media type such as \"application/json\", not \"{contentType}\".");
        }
        WebhookSettings.CheckHeaders(secrets.Headers, errors);
        if (given.Auth is { } auth)
        {
            CheckAuth(auth, errors);
        }
    }

    private static void CheckAuth(Dictionary<string, string> auth, FieldErrors errors)
    {
        var type = auth.GetValueOrDefault("type");
        string[] keys = type switch
        {
            "basic" => ["username", "password"],
            "bearer" => ["token"],
            "header" => ["name", "value"],
            _ => [],
        };
        if (keys.Length == 0)
        {
            errors.Add("auth", $"auth.type must be {Words.OneOf(AuthTypes.Select(t => $"\"{t}\""))}{(type is null ? "" : $", not \"{type}\"")}.");
            return;
        }
        if (auth.Keys.FirstOrDefault(k => k != "type" && !keys.Contains(k)) is { } extra)
        {
            errors.Add("auth", $"auth.{extra} is not used by {type} auth; it takes {Words.All(keys)}.");
        }
        else if (keys.FirstOrDefault(k => string.IsNullOrEmpty(auth.GetValueOrDefault(k))) is { } missing)
        {
            errors.Add("auth", $"auth.{missing} is required for {type} auth.");
        }
        else if (keys.Select(k => (Key: k, Problem: AuthValueProblem(type!, k, auth[k]))).FirstOrDefault(p => p.Problem is not null) is { Problem: { } problem } wrong)
        {
            errors.Add("auth", $"auth.{wrong.Key} {problem}.");
        }
        else if (type == "basic" && auth["username"].Contains(':', StringComparison.Ordinal))
        {
            errors.Add("auth", "auth.username must not hold a colon (basic auth joins it to the password with one).");
        }
        else if (type == "header")
        {
            var header = new FieldErrors();
            WebhookSettings.CheckHeaders(new() { [auth["name"]] = auth["value"] }, header);
            if (header.Count > 0)
            {
                errors.Add("auth", "auth: " + header.ToDictionary()["headers"][0]);
            }
        }
    }

    /// <summary>
    /// Why an auth value cannot be sent; null when it can. A bearer token and a header's value go into a header as
    /// they are (<see cref="HeaderRules.ValueProblem"/>); basic auth's are sent as base64 of their UTF-8, so only
    /// control characters and the length are refused.
    /// </summary>
    private static string? AuthValueProblem(string type, string key, string value)
    {
        if (type == "header" && key == "name")
        {
            return null; // checked as a header name below
        }
        if (type != "basic")
        {
            return HeaderRules.ValueProblem(value);
        }
        if (value.Length > HeaderRules.MaxValueLength)
        {
            return $"must be at most {HeaderRules.MaxValueLength:N0} characters; it has {value.Length:N0}";
        }
        return value.Any(char.IsControl) ? "must not hold line breaks or other control characters" : null;
    }

    private static void CheckPreset(HttpPreset preset, HttpConfig config, HttpSecrets secrets, DestinationContext context, FieldErrors errors)
    {
        foreach (var field in preset.Credentials)
        {
            var value = Credential(field, config, secrets);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(field, $"{field} is required by the {preset.Name} preset (it takes {Words.All(preset.Credentials)}).");
            }
            else if (field == "url")
            {
                WebhookSettings.CheckUrl(value, context.AllowPrivateTargets, errors);
            }
            else if (IsSecret(field) && HeaderRules.ValueProblem(value) is { } unsendable)
            {
                errors.Add(field, $"{field} {unsendable}."); // tokens and keys travel in a header (Bearer, x-api-token, or basic auth)
            }
            else if (preset.CheckCredential(field, value) is { } problem)
            {
                errors.Add(field, problem);
            }
        }
        if (config.BaseUrl is { } baseUrl)
        {
            WebhookSettings.CheckUrl(baseUrl, context.AllowPrivateTargets, errors, "baseUrl");
        }
    }
}
