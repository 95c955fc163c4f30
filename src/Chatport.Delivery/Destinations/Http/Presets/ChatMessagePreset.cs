using System.Globalization;
using Chatport.Contract;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// A team chat's webhook (Slack, Teams): one message a delivery, POSTed to the webhook URL — the one credential,
/// kept secret, whole (no <c>baseUrl</c>) and never named in the delivery log.
/// </summary>
internal abstract class ChatMessagePreset : HttpPreset
{
    public override IReadOnlyList<string> Credentials { get; } = ["url"];

    public override bool TakesBaseUrl => false;

    public override string Origin(HttpConfig config, HttpSecrets secrets) => secrets.Url ?? "";

    public override void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets)
    {
        // The URL is the credential.
    }

    /// <summary>"Chat with Dusan Kmet (completed)"; a later version says it is an update.</summary>
    protected static string Title(ChatView chat) =>
        chat.Delivery.Version > 1 ? $"{chat.Subject}, updated (version {chat.Delivery.Version})" : chat.Subject;

    protected static string Seconds(Optional<long> value) => value.HasValue ? $"{value.Value.ToString(CultureInfo.InvariantCulture)} s" : "unknown";
}
