namespace Chatport.Sources.Hooks;

/// <summary>How an inbound hook checks who is calling.</summary>
internal static class HookAuth
{
    /// <summary>The unguessable token in the URL is the credential (Smartsupp itself cannot sign).</summary>
    public const string Token = "token";

    /// <summary>HTTP basic auth with the source's username and secret.</summary>
    public const string Basic = "basic";

    /// <summary>Standard Webhooks headers signed with a <c>whsec_</c> secret; ±5 minutes; replays refused.</summary>
    public const string Standard = "standard";

    /// <summary><c>X-Smartsupp-Hmac</c>: hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes.</summary>
    public const string SmartsuppHmac = "smartsupp-hmac";

    public static bool IsKnown(string? auth) => auth is Token or Basic or Standard or SmartsuppHmac;
}
