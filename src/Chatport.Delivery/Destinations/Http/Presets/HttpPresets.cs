namespace Chatport.Delivery.Destinations.Http.Presets;

/// <summary>The presets of the <c>http</c> kind, by name (stable surface: never renamed).</summary>
internal static class HttpPresets
{
    private static readonly HttpPreset[] All =
        [new ZendeskPreset(), new FreshdeskPreset(), new HubSpotPreset(), new PipedrivePreset(), new SlackPreset(), new TeamsPreset()];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    public static HttpPreset? Find(string? name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>"zendesk", "freshdesk", … or "teams".</summary>
    public static string Listed() => Words.OneOf(Names.Select(n => $"\"{n}\""));
}
