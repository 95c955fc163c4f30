using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Chatport.Tests.Portal;

/// <summary>
/// Every text a portal page shows goes through the localizer by its English wording, and has its Spanish in
/// <c>PortalTexts.es.resx</c>; an entry no page uses any more is reported too, so the file stays the page's words.
/// </summary>
public sealed partial class PortalTextsTests
{
    private static readonly string PortalDir = Path.Combine(RepoRoot(), "src", "Chatport", "Portal");

    [GeneratedRegex(@"\b(?:T|Texts|texts)\[""((?:[^""\\]|\\.)*)""")]
    private static partial Regex TextUse();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chatport.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (Chatport.slnx) was not found above the test output.");
    }

    private static HashSet<string> Used() =>
    [
        .. Directory.EnumerateFiles(PortalDir, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => TextUse().Matches(File.ReadAllText(f)).Select(m => Regex.Unescape(m.Groups[1].Value))),
    ];

    private static Dictionary<string, string> Spanish() =>
        XDocument.Load(Path.Combine(PortalDir, "PortalTexts.es.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [Fact]
    public void Every_text_a_page_shows_has_its_Spanish()
    {
        var used = Used();
        Assert.True(used.Count > 50, $"only {used.Count} texts found: is the pattern still right?");
        var missing = used.Where(t => !Spanish().ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Texts without Spanish in PortalTexts.es.resx:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_Spanish_entry_is_a_text_a_page_shows_with_the_same_placeholders()
    {
        var used = Used();
        var spanish = Spanish();
        var unused = spanish.Keys.Where(k => !used.Contains(k)).ToList();
        Assert.True(unused.Count == 0, "Entries no page uses:\n" + string.Join("\n", unused));
        foreach (var (english, translated) in spanish)
        {
            Assert.False(string.IsNullOrWhiteSpace(translated), english);
            var want = Regex.Matches(english, @"\{\d\}").Select(m => m.Value).Order().ToList();
            Assert.Equal(want, Regex.Matches(translated, @"\{\d\}").Select(m => m.Value).Order().ToList());
        }
    }
}
