using System.Text.Json.Nodes;
using Chatport.Storage.Deliveries;
using Chatport.Storage.Destinations;
using Microsoft.Extensions.Options;

namespace Chatport.Delivery.Destinations.Email;

/// <summary>
/// <c>email</c>: each finished conversation's transcript (text and HTML) e-mailed over SMTP (<see cref="EmailSender"/>).
/// Fields: <c>host</c>, <c>port?</c> (by <c>tls</c>: 25, 587 or 465), <c>tls</c> (<c>none</c>, <c>starttls</c>, <c>tls</c>),
/// <c>username?</c> and <c>password?</c> (a secret, never shown), <c>from</c>, <c>to</c> (up to
/// <see cref="MaxRecipients"/> addresses), <c>toVisitor?</c> (the visitor gets their own copy) and <c>subject?</c> (a
/// template, <see cref="EmailMessages.Placeholders"/>). The SSRF guard applies to the host: a literal private address
/// or <c>localhost</c> is refused here, and every address it resolves to when sending.
/// </summary>
public sealed class EmailKind(IOptions<DeliveryOptions> options, AccountZones zones, TimeProvider time) : IDestinationKind
{
    private readonly EmailSender _sender = new(options.Value.AllowPrivateTargets, zones, time);

    public const int MaxRecipients = 50;

    public string Name => EmailConfig.Kind;

    public string Title => "The e-mail transcript";

    public string Plural => "E-mail destinations";

    public bool NeedsPro => true;

    public int DefaultTimeoutSeconds => 30;

    public IReadOnlyList<KindField> Fields { get; } =
    [
        new("host", FieldType.String, "The SMTP server's name or address, e.g. smtp.example.com.", RequiredOnCreate: true),
        new("port", FieldType.Integer, "The SMTP server's port, 1–65535; when absent on creation, 25 for tls \"none\", 587 for \"starttls\", 465 for \"tls\"."),
        new("tls", FieldType.String, "\"starttls\" (upgrade to TLS after connecting, required), \"tls\" (TLS from the start) or \"none\" (in the clear).", RequiredOnCreate: true),
        new("username", FieldType.String, "Who to log in as; with password. An empty string removes the login and its password."),
        new("password", FieldType.String, "The SMTP password; never shown in answers. An empty string removes it.", Secret: true),
        new("from", FieldType.String, "The sender: an address, or a name and an address (\"Chats <chats@example.com>\").", RequiredOnCreate: true),
        new("to", FieldType.Strings, $"Who gets every transcript: 1 to {MaxRecipients} addresses (may be empty when toVisitor is true)."),
        new("toVisitor", FieldType.Boolean, "true: the visitor also gets their own transcript, at the e-mail address they left (when they left one)."),
        new("subject", FieldType.String,
            $"The subject; placeholders {EmailMessages.Placeholders}. Default \"{EmailMessages.DefaultSubject}\" (the visitor's copy: \"{EmailMessages.DefaultVisitorSubject}\"). An empty string restores the default."),
    ];

    public KindSettings Configure(DestinationFields fields, KindSettings? current, DestinationContext context, FieldErrors errors)
    {
        var before = current is null ? null : EmailConfigJson.Deserialize(current.Config);
        var host = fields.String("host");
        var port = fields.Integer("port");
        var tls = fields.String("tls");
        var username = fields.String("username");
        var password = fields.String("password");
        var from = fields.String("from");
        var to = fields.Strings("to");
        var toVisitor = fields.Boolean("toVisitor");
        var subject = fields.String("subject");

        if (current is null || host is not null)
        {
            EmailSettings.CheckHost(host, context.AllowPrivateTargets, errors);
        }
        EmailSettings.CheckTls(tls, required: current is null, errors);
        if (port is < 1 or > 65535)
        {
            errors.Add("port", "port must be a whole number from 1 to 65535.");
        }
        EmailSettings.CheckText("username", username, EmailSettings.MaxUsernameLength, errors);
        EmailSettings.CheckText("password", password, EmailSettings.MaxPasswordLength, errors);
        EmailSettings.CheckText("subject", subject, EmailSettings.MaxSubjectLength, errors);
        if (current is null && from is null && !errors.Has("from"))
        {
            errors.Add("from", "from is required: the address the e-mails come from, e.g. \"Chats <chats@example.com>\".");
        }
        else if (from is not null)
        {
            EmailSettings.CheckAddress("from", from, errors);
        }
        EmailSettings.CheckRecipients(to, MaxRecipients, errors);
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }

        var config = new EmailConfig(
            host?.Trim() ?? before!.Host,
            port ?? before?.Port ?? EmailConfig.DefaultPort(tls!),
            tls ?? before!.Tls,
            username is null ? before?.Username : username.Length == 0 ? null : username,
            from?.Trim() ?? before!.From,
            to is null ? before?.To ?? [] : [.. to.Select(a => a.Trim())],
            toVisitor ?? before?.ToVisitor ?? false,
            subject is null ? before?.Subject : subject.Length == 0 ? null : subject);
        // An empty password removes it; so does removing the login (an empty username) without giving one.
        var secrets = password is null
            ? username is { Length: 0 } ? null : current?.Secrets
            : password.Length == 0 ? null : EmailConfigJson.Serialize(new EmailSecrets(password));

        if (config.To.Count == 0 && !config.ToVisitor)
        {
            errors.Add("to", $"to must name at least one address (at most {MaxRecipients}), unless toVisitor is true.");
        }
        if (config.Username is not null && secrets is null)
        {
            errors.Add("password", "password is required with username.");
        }
        else if (config.Username is null && secrets is not null)
        {
            errors.Add("username", "username is required with password: who to log in as.");
        }
        if (errors.Count > 0)
        {
            return current ?? new KindSettings("{}", null);
        }
        // The password is never shown, not even in the answer that set it: the person who typed it has it.
        return new KindSettings(EmailConfigJson.Serialize(config), secrets);
    }

    public DestinationView Describe(KindSettings settings, bool showSecrets)
    {
        var config = EmailConfigJson.Deserialize(settings.Config);
        return new DestinationView(
            new JsonObject
            {
                ["host"] = config.Host,
                ["port"] = config.Port,
                ["tls"] = config.Tls,
                ["username"] = config.Username,
                ["from"] = config.From,
                ["to"] = new JsonArray([.. config.To.Select(a => (JsonNode?)a)]),
                ["toVisitor"] = config.ToVisitor,
            },
            new JsonObject { ["subject"] = config.Subject },
            new JsonObject { ["password"] = null });
    }

    public Task<SendOutcome> SendAsync(Destination destination, DeliveryWork delivery, int attempt, CancellationToken cancellationToken) =>
        _sender.SendAsync(destination, delivery, cancellationToken);
}
