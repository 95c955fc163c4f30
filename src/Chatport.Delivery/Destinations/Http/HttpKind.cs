using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Contract;
using Chatport.Delivery.Destinations.Http.Presets;
using Chatport.Delivery.Destinations.Webhook;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Destinations.Http;

/// <summary>
/// <c>http</c>: a request whose body is a Liquid template (<see cref="HttpTemplates"/>) — <c>url</c>, <c>method?</c>,
/// <c>headers?</c>, <c>auth?</c>, <c>contentType?</c>, <c>template</c> — or a <c>preset</c> for a helpdesk, CRM or team
/// chat (<see cref="HttpPresets"/>) with its flat credentials. Answers are read as the webhook reads them (only 2xx
/// is delivered, 410 disables, <c>Retry-After</c> on 429/503 is honoured); a template that cannot render is a failed
/// attempt. Header values, auth values, tokens, keys and the Slack and Teams webhook URLs are secrets.
/// Every URL goes through the same SSRF guard as the webhook's, at save and at send.
/// </summary>
public sealed class HttpKind(DeliveryHttpClient http, AccountZones zones, TimeProvider time) : IDestinationKind
{
    private readonly HttpTemplates _templates = new();

    private readonly ConversationGate _gate = new();

    public string Name => HttpConfig.Kind;

    public string Title => "The templated HTTP request";

    public string Plural => "HTTP destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 30;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("preset", FieldType.String, $"A built-in request sequence instead of a template: {HttpPresets.Listed()}; each takes its own credentials."),
        new("url", FieldType.String, "Without a preset: where to send (http or https); required. For the slack and teams presets: the webhook URL (a secret)."),
        new("method", FieldType.String, "Without a preset: POST (default), PUT or PATCH."),
        new("headers", FieldType.StringMap, "Without a preset: extra request headers; their values are secrets. A change replaces them all.", Secret: true),
        new("auth", FieldType.StringMap,
            "Without a preset: {\"type\":\"basic\",\"username\",\"password\"}, {\"type\":\"bearer\",\"token\"} or {\"type\":\"header\",\"name\",\"value\"}; its values are secrets.",
            Secret: true),
        new("contentType", FieldType.String, "Without a preset: the body's media type (default application/json)."),
        new("template", FieldType.String,
            "Without a preset: the body, a Liquid template with conversation, kinds, version, transcript.text, transcript.html, account and delivery; " +
            "the json filter writes any value as a JSON literal. Required.", MaxLength: HttpTemplates.MaxTemplateLength),
        new("baseUrl", FieldType.String, "zendesk, freshdesk, hubspot, pipedrive: replaces the vendor's origin (the preset keeps the vendor's paths)."),
        new("subdomain", FieldType.String, "zendesk: the account's subdomain ({subdomain}.zendesk.com)."),
        new("email", FieldType.String, "zendesk: the agent's e-mail address the API token belongs to."),
        new("token", FieldType.String, "zendesk: the API token; hubspot: the private app's access token.", Secret: true),
        new("domain", FieldType.String, "freshdesk: the helpdesk's domain ({domain}.freshdesk.com)."),
        new("apiKey", FieldType.String, "freshdesk: the agent's API key.", Secret: true),
        new("companyDomain", FieldType.String, "pipedrive: the company domain ({companyDomain}.pipedrive.com)."),
        new("apiToken", FieldType.String, "pipedrive: the API token.", Secret: true),
    ];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors) =>
        HttpSettings.Configure(fields, current, context, errors);

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = HttpConfig.Deserialize(settings.Config);
        var secrets = HttpSecrets.Deserialize(settings.Secrets);
        var target = new JsonObject();
        var options = new JsonObject();
        var shown = new JsonObject();
        if (HttpPresets.Find(config.Preset) is { } preset)
        {
            target["preset"] = preset.Name;
            foreach (var field in preset.Credentials)
            {
                (HttpSettings.IsSecret(field) ? shown : target)[field] =
                    HttpSettings.IsSecret(field) && !showSecrets ? null : HttpSettings.Credential(field, config, secrets);
            }
            if (preset.TakesBaseUrl)
            {
                target["baseUrl"] = config.BaseUrl;
            }
            return new DestinationView(target, options, shown);
        }
        target["url"] = config.Url;
        options["method"] = config.Method ?? "POST";
        options["contentType"] = config.ContentType ?? DefaultContentType;
        options["template"] = config.Template;
        var headers = new JsonObject();
        foreach (var (name, value) in secrets.Headers ?? [])
        {
            headers[name] = showSecrets ? value : null;
        }
        shown["headers"] = headers;
        JsonObject? auth = null;
        if (secrets.Auth is { } given)
        {
            auth = [];
            foreach (var (key, value) in given)
            {
                auth[key] = key == "type" || showSecrets ? value : null;
            }
        }
        shown["auth"] = auth;
        return new DestinationView(target, options, shown);
    }

    public async Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        var config = HttpConfig.Deserialize(destination.Config);
        var secrets = HttpSecrets.Deserialize(destination.Secrets);
        var preset = HttpPresets.Find(config.Preset);

        // One source cancels the attempt, all its requests: the destination's timeout (on the injected clock) or the host stopping.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(destination.TimeoutSeconds), time);
        using var stopping = cancellationToken.UnsafeRegister(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        var steps = new HttpSteps(http.Client, time, deadline.Token)
        {
            Authorize = preset is not null ? request => preset.Authorize(request, config, secrets) : request => Authorize(request, secrets.Auth),
        };
        try
        {
            var chat = await ReadAsync(delivery, attempt, cancellationToken);
            if (chat is null)
            {
                return steps.Failed("The conversation could not be read as the seed's JSON; nothing was sent.");
            }
            if (preset is not null)
            {
                var origin = new Uri(config.BaseUrl ?? preset.Origin(config, secrets));
                using var pass = await _gate.EnterAsync($"{destination.Id}/{chat.Key}", deadline.Token);
                await preset.SendAsync(steps, origin, chat);
            }
            else
            {
                var body = await _templates.RenderAsync(config.Template ?? "", chat);
                using var request = new HttpRequestMessage(new HttpMethod(config.Method ?? "POST"), config.Url);
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.TryAddWithoutValidation("Content-Type", config.ContentType ?? DefaultContentType);
                request.Content = content;
                Identify(request, delivery, attempt);
                foreach (var (name, value) in secrets.Headers ?? [])
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                await steps.SendAsync(request);
            }
            return steps.Delivered();
        }
        catch (StepRefusedException refused)
        {
            return refused.Outcome;
        }
        catch (TemplateRenderException e)
        {
            return steps.Failed(e.Message);
        }
        catch (Exception e) when (HttpAnswers.NoAnswer(e, destination.TimeoutSeconds, cancellationToken.IsCancellationRequested) is { } reason)
        {
            return steps.Retry(reason);
        }
    }

    private const string DefaultContentType = "application/json; charset=utf-8";

    private async Task<ChatView?> ReadAsync(DeliveryWork delivery, int attempt, CancellationToken cancellationToken)
    {
        Conversation conversation;
        JsonElement seed;
        try
        {
            conversation = ConversationNormalizer.Normalize(ContractJson.Parse(delivery.Body.Span));
            using var document = JsonDocument.Parse(delivery.Body);
            seed = document.RootElement.Clone();
        }
        catch (Exception e) when (e is ContractException or JsonException)
        {
            return null;
        }
        var (account, zone) = await zones.AccountOfAsync(delivery.AccountId, cancellationToken);
        return new ChatView(delivery, attempt, seed, conversation, account, zone);
    }

    /// <summary>The conversation's identity, as the webhook sends it, and the delivery's id (the same on every attempt: a receiver may drop repeats by it).</summary>
    private static void Identify(HttpRequestMessage request, DeliveryWork delivery, int attempt)
    {
        var headers = request.Headers;
        headers.TryAddWithoutValidation("chatport-delivery-id", delivery.Id);
        headers.TryAddWithoutValidation(WebhookHeaderNames.AccountId, delivery.AccountId.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationId, delivery.ChatId.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationVersion, delivery.Version.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(WebhookHeaderNames.ConversationKinds, string.Join(',', delivery.Kinds));
        headers.TryAddWithoutValidation(WebhookHeaderNames.Attempt, attempt.ToString(CultureInfo.InvariantCulture));
    }

    private static void Authorize(HttpRequestMessage request, Dictionary<string, string>? auth)
    {
        switch (auth?.GetValueOrDefault("type"))
        {
            case "basic":
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(auth["username"] + ":" + auth["password"])));
                break;
            case "bearer":
                request.Headers.Authorization = new("Bearer", auth["token"]);
                break;
            case "header":
                request.Headers.TryAddWithoutValidation(auth["name"], auth["value"]);
                break;
        }
    }
}
