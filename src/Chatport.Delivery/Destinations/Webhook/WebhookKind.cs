using System.Text.Json.Nodes;
using Chatport.Delivery.Signing;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>
/// <c>webhook</c>: the seed's POST hook — the conversation's exact JSON POSTed to a URL, signed with the Standard
/// Webhooks headers. Fields: <c>url</c>, <c>secret?</c> (a <c>whsec_</c> secret; one is made when absent),
/// <c>headers?</c> (their values masked in answers after the one that set them); on a patch also <c>rotateSecret</c>. A new secret (given or made) signs at once, and the previous
/// one keeps signing beside it for <see cref="RotationOverlap"/>, so receivers can switch without missing a delivery.
/// </summary>
public sealed class WebhookKind(WebhookSender sender) : IDestinationKind
{
    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public string Name => WebhookConfig.Kind;

    public string Title => "The POST hook";

    public string Plural => "Webhook destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 15;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("url", FieldType.String, "Where to POST (http or https).", RequiredOnCreate: true),
        new("secret", FieldType.String, "A whsec_ signing secret; one is made when absent. Setting one on a change rotates it.", Secret: true),
        new("headers", FieldType.StringMap,
            "Extra request headers, e.g. an Authorization for a CRM; their values are secrets. A change replaces them all.",
            Secret: true),
        new("rotateSecret", FieldType.Boolean, "true: make a new signing secret; the previous one keeps signing beside it for 24 hours.", PatchOnly: true),
    ];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var url = fields.String("url");
        var secret = fields.String("secret");
        var headers = fields.StringMap("headers");
        var rotate = fields.Boolean("rotateSecret"); // a patch-only field: a create body holding it is refused before this
        if (current is null || url is not null)
        {
            if (!errors.Has("url"))
            {
                WebhookSettings.CheckUrl(url, context.AllowPrivateTargets, errors);
            }
        }
        WebhookSettings.CheckSecret(secret, errors);
        WebhookSettings.CheckHeaders(headers, errors);
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }

        if (current is null)
        {
            var made = new WebhookSecrets(secret?.Trim() ?? WebhookSecret.Generate().ToString());
            return new KindSettings(WebhookConfigJson.Serialize(new WebhookConfig(url!, headers)), WebhookConfigJson.Serialize(made), Reveal: true);
        }
        var config = WebhookConfigJson.Deserialize(current.Config);
        config = config with { Url = url ?? config.Url, Headers = headers ?? config.Headers };
        var secrets = current.Secrets;
        var rotated = secret is not null || rotate == true;
        if (rotated)
        {
            var before = WebhookConfigJson.DeserializeSecrets(current.Secrets);
            secrets = WebhookConfigJson.Serialize(new WebhookSecrets(
                secret?.Trim() ?? WebhookSecret.Generate().ToString(), before?.Secret, context.Now.Add(RotationOverlap).ToUnixTimeMilliseconds()));
        }
        // The answer shows what this change set, once: new headers, a new secret; never the ones it left alone.
        return new KindSettings(WebhookConfigJson.Serialize(config), secrets, Reveal: rotated || headers is not null)
        {
            Revealed = [.. rotated ? ["secret"] : Array.Empty<string>(), .. headers is not null ? ["headers"] : Array.Empty<string>()],
        };
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = WebhookConfigJson.Deserialize(settings.Config);
        var headers = new JsonObject();
        foreach (var (name, value) in config.Headers ?? [])
        {
            headers[name] = settings.Shows("headers", showSecrets) ? value : null; // names shown, values masked: an Authorization is a credential
        }
        var secret = settings.Shows("secret", showSecrets) ? WebhookConfigJson.DeserializeSecrets(settings.Secrets)?.Secret : null;
        return new DestinationView(
            new JsonObject { ["url"] = config.Url },
            new JsonObject { ["headers"] = headers },
            new JsonObject { ["secret"] = secret });
    }

    public Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken) =>
        sender.SendAsync(destination, delivery, attempt, cancellationToken);
}
