namespace Chatport.OpenApi;

/// <summary>Settings under <c>Chatport:OpenApi</c>.</summary>
internal sealed class OpenApiServerOptions
{
    public const string Section = "Chatport:OpenApi";

    /// <summary>
    /// The address clients should call, written as the document's one <c>servers</c> entry (for example
    /// <c>https://chatport.example.com</c>). Unset by default: the document has no <c>servers</c>, so tools call the
    /// address they fetched it from. Never taken from the request: its <c>Host</c> header is the caller's to forge.
    /// </summary>
    public Uri? ServerUrl { get; set; }

    public bool IsValid => ServerUrl is null || (ServerUrl.IsAbsoluteUri && ServerUrl.Scheme is "http" or "https");
}
