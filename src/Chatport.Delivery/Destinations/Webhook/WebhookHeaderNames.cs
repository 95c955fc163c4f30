namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>The headers Chatport sets on every delivery; custom headers may not replace them.</summary>
public static class WebhookHeaderNames
{
    public const string AccountId = "chatport-account-id";
    public const string ConversationId = "chatport-conversation-id";
    public const string ConversationVersion = "chatport-conversation-version";
    public const string ConversationKinds = "chatport-conversation-kinds";
    public const string Attempt = "chatport-attempt";
    public const string UserAgent = "Chatport/1.0 (+https://github.com/chatport)";

    /// <summary>Whether a custom header may be set: not a signature, identity or framing header.</summary>
    public static bool IsReserved(string name) =>
        name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("chatport-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase);
}
