using System.Net;
using Chatport.Delivery.Destinations.Webhook;
using Chatport.Delivery.Retries;
using Chatport.Delivery.Safety;
using Chatport.Delivery.Signing;
using Chatport.Tracking;

namespace Chatport.Destinations;

/// <summary>Checks a webhook destination's settings; every problem is reported by field.</summary>
internal static class WebhookSettings
{
    public static void CheckUrl(string? url, bool allowPrivateTargets, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors["url"] = ["url is required: where to POST the conversations (http or https)."];
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors["url"] = [$"url must be an absolute http or https URL, not \"{url}\"."];
            return;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["url"] = ["url must not hold credentials; put them in headers (Authorization) instead."];
            return;
        }
        if (!allowPrivateTargets && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && AddressPolicy.IsBlocked(address, out var reason))
        {
            errors["url"] = [$"url points at a private address: {reason}. Set Chatport:Delivery:AllowPrivateTargets to true to allow it."];
        }
    }

    public static void CheckSecret(string? secret, Dictionary<string, string[]> errors)
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
            errors["secret"] = [e.Message];
        }
    }

    public static void CheckKinds(List<string>? kinds, Dictionary<string, string[]> errors)
    {
        foreach (var kind in kinds ?? [])
        {
            if (!ConversationKinds.All.Contains(kind))
            {
                errors["kinds"] = [$"kinds may hold completed, missed, offline and dropped; not \"{kind}\"."];
                return;
            }
        }
    }

    public static void CheckTimeout(int? timeoutSeconds, Dictionary<string, string[]> errors)
    {
        if (timeoutSeconds is < 1 or > WebhookConfig.MaxTimeoutSeconds)
        {
            errors["timeoutSeconds"] = [$"timeoutSeconds must be between 1 and {WebhookConfig.MaxTimeoutSeconds}."];
        }
    }

    public static void CheckSchedule(List<string>? schedule, Dictionary<string, string[]> errors)
    {
        if (schedule is null)
        {
            return;
        }
        try
        {
            RetrySchedule.Parse(schedule);
        }
        catch (FormatException e)
        {
            errors["retrySchedule"] = [e.Message];
        }
    }

    public static void CheckHeaders(Dictionary<string, string>? headers, Dictionary<string, string[]> errors)
    {
        foreach (var (name, value) in headers ?? [])
        {
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)))
            {
                errors["headers"] = [$"\"{name}\" is not a valid header name."];
                return;
            }
            if (WebhookHeaderNames.IsReserved(name))
            {
                errors["headers"] = [$"{name} is set by Chatport on every delivery and cannot be replaced."];
                return;
            }
            if (value.Any(c => c is '\r' or '\n'))
            {
                errors["headers"] = [$"The value of {name} must not hold line breaks."];
                return;
            }
        }
    }
}
