using System.Net;
using Chatport.Delivery.Safety;
using Chatport.Delivery.Signing;

namespace Chatport.Delivery.Destinations.Webhook;

/// <summary>Checks a webhook destination's settings; every problem is reported by field.</summary>
internal static class WebhookSettings
{
    /// <summary>Checks a target URL given in <paramref name="field"/> (<c>url</c>; an <c>http</c> preset's <c>baseUrl</c>).</summary>
    public static void CheckUrl(string? url, bool allowPrivateTargets, FieldErrors errors, string field = "url")
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add(field, $"{field} is required: where to POST the conversations (http or https).");
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(field, $"{field} must be an absolute http or https URL, not \"{url}\".");
            return;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(field, $"{field} must not hold credentials; put them in headers (Authorization) instead.");
            return;
        }
        if (!allowPrivateTargets && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && AddressPolicy.IsBlocked(address, out var reason))
        {
            errors.Add(field, $"{field} points at a private address: {reason}. Set Chatport:Delivery:AllowPrivateTargets to true to allow it.");
        }
    }

    public static void CheckSecret(string? secret, FieldErrors errors)
    {
        if (secret is null)
        {
            return;
        }
        try
        {
            WebhookSecret.Parse(secret);
        }
        catch (FormatException e)
        {
            errors.Add("secret", e.Message);
        }
    }

    /// <summary>Custom headers (<see cref="HeaderRules"/>): at most 50, token names Chatport does not set itself, values it can send.</summary>
    public static void CheckHeaders(Dictionary<string, string>? headers, FieldErrors errors, string field = "headers")
    {
        if (headers?.Count > HeaderRules.MaxCount)
        {
            errors.Add(field, $"{field} may set at most {HeaderRules.MaxCount} headers; it sets {headers.Count}.");
            return;
        }
        foreach (var (name, value) in headers ?? [])
        {
            if (name.Length > HeaderRules.MaxNameLength)
            {
                errors.Add(field, $"A header name must be at most {HeaderRules.MaxNameLength} characters; \"{name[..40]}…\" has {name.Length}.");
                return;
            }
            if (!HeaderRules.IsToken(name))
            {
                errors.Add(field, $"\"{name}\" is not a valid header name: a name holds only letters, digits and !#$%&'*+-.^_`|~.");
                return;
            }
            if (WebhookHeaderNames.IsReserved(name))
            {
                errors.Add(field, $"{name} is set by Chatport on every delivery and cannot be replaced.");
                return;
            }
            if (HeaderRules.ValueProblem(value) is { } problem)
            {
                errors.Add(field, $"The value of {name} {problem}.");
                return;
            }
        }
    }
}
