using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>
/// A built-in request sequence for one vendor's published API: which credentials it takes, where the vendor is,
/// and what one attempt sends. Each must be safe to run again for the same conversation (a retry, a replay, a later
/// version): it finds what an earlier run made before it makes anything.
/// </summary>
internal abstract class HttpPreset
{
    /// <summary>The <c>preset</c> in bodies (stable surface).</summary>
    public abstract string Name { get; }

    /// <summary>Its credential fields, all required: <c>subdomain</c>, <c>email</c>, <c>token</c>….</summary>
    public abstract IReadOnlyList<string> Credentials { get; }

    /// <summary>Whether <c>baseUrl</c> may replace the vendor's origin (the vendors with fixed paths; not Slack or Teams, whose <c>url</c> is whole).</summary>
    public virtual bool TakesBaseUrl => true;

    /// <summary>The vendor's origin for these settings (<c>https://acme.zendesk.com</c>); for Slack and Teams, the webhook URL itself.</summary>
    public abstract string Origin(HttpConfig config, HttpSecrets secrets);

    /// <summary>Checks a credential's form (a subdomain's letters, say); the field is given and not empty.</summary>
    public virtual string? CheckCredential(string field, string value) => null;

    /// <summary>Sets the vendor's authentication on a request.</summary>
    public abstract void Authorize(HttpRequestMessage request, HttpConfig config, HttpSecrets secrets);

    /// <summary>One attempt: the requests, in order; the first answer that is not 2xx ends it (<see cref="StepRefusedException"/>).</summary>
    public abstract Task SendAsync(HttpSteps steps, Uri origin, ChatView chat);

    protected static void Basic(HttpRequestMessage request, string user, string password) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>A path (and query) under the origin, which may carry a path of its own (a proxy's prefix).</summary>
    protected static Uri At(Uri origin, string pathAndQuery) => new(origin.GetLeftPart(UriPartial.Path).TrimEnd('/') + pathAndQuery);

    /// <summary>The newest version a record's tags say it holds (<c>chatport-v2</c> → 2); null when none does.</summary>
    protected static int? NewestTagged(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        int? newest = null;
        foreach (var tag in tags.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { } text && text.StartsWith(VersionTagPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(VersionTagPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                newest = Math.Max(newest ?? version, version);
            }
        }
        return newest;
    }

    /// <summary>The tag that says a record holds a version: <c>chatport-v2</c>.</summary>
    protected static string VersionTag(ChatView chat) => VersionTagPrefix + chat.Delivery.Version.ToString(CultureInfo.InvariantCulture);

    private const string VersionTagPrefix = "chatport-v";

    /// <summary>A subdomain-like name: letters, digits and hyphens, 1 to 63, not starting or ending with a hyphen.</summary>
    protected static string? CheckLabel(string field, string value) =>
        value.Length is > 0 and <= 63 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && value[0] != '-' && value[^1] != '-'
            ? null
            : $"{field} must be the name before the vendor's domain (letters, digits and hyphens), not \"{value}\".";
}
