using Chatport.Application.Sources;
using System.Security.Cryptography;
using System.Text;
using Chatport.Delivery.Signing;
using Chatport.Storage.Sources;

namespace Chatport.Sources.Hooks;

/// <summary>Checks an inbound request against its source's auth mode; returns why it is refused, or null.</summary>
internal static class HookAuthenticator
{
    public static string? Check(HookSource source, HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance) => source.Auth switch
    {
        HookAuth.Token => null,
        HookAuth.Basic => CheckBasic(source, request.Headers.Authorization),
        HookAuth.Standard => CheckStandard(source, request, body, now, tolerance),
        HookAuth.SmartsuppHmac => CheckSmartsupp(source, request.Headers["X-Smartsupp-Hmac"], body),
        _ => $"The source's auth mode {source.Auth} is not known.",
    };

    private static string? CheckBasic(HookSource source, string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return "This hook needs HTTP basic auth: Authorization: Basic base64(username:secret).";
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return "The Authorization header's basic credentials are not valid base64.";
        }
        var expected = Encoding.UTF8.GetBytes($"{source.Username}:{source.Secret}");
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(decoded)), SHA256.HashData(expected))
            ? null
            : "The username or secret is wrong.";
    }

    private static string? CheckStandard(HookSource source, HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        var verification = WebhookVerifier.Verify(
            request.Headers[WebhookHeaders.Id], request.Headers[WebhookHeaders.Timestamp], request.Headers[WebhookHeaders.Signature],
            body, WebhookSecret.Parse(source.Secret!), now, tolerance);
        return verification.IsValid ? null : $"The Standard Webhooks signature is not valid: {verification.Error}.";
    }

    private static string? CheckSmartsupp(HookSource source, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "This hook needs an X-Smartsupp-Hmac header: the hex HMAC-SHA256 of the body.";
        }
        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header.Trim());
        }
        catch (FormatException)
        {
            return "The X-Smartsupp-Hmac header is not hex.";
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(source.Secret!), body);
        return CryptographicOperations.FixedTimeEquals(presented, expected) ? null : "The X-Smartsupp-Hmac signature does not match the body.";
    }
}
