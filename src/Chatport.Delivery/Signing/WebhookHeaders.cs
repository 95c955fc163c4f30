namespace Chatport.Delivery.Signing;

/// <summary>
/// The HTTP header names of the Standard Webhooks specification
/// (<see href="https://www.standardwebhooks.com"/>), in the lower case the specification spells them.
/// </summary>
public static class WebhookHeaders
{
    /// <summary>
    /// <c>webhook-id</c>: the unique id of one delivery, stable across its retries, usable by receivers as an
    /// idempotency key.
    /// </summary>
    public const string Id = "webhook-id";

    /// <summary><c>webhook-timestamp</c>: the time of the attempt, as integer Unix seconds.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>
    /// <c>webhook-signature</c>: a space-separated list of signatures such as <c>v1,&lt;base64&gt;</c>
    /// (several during a secret rotation).
    /// </summary>
    public const string Signature = "webhook-signature";
}
