using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Chatport.Tests.Portal.Browser;

/// <summary>Accessibility checks of a page with axe-core (Deque.AxeCore.Playwright), run in the page itself.</summary>
public static class Accessibility
{
    /// <summary>
    /// Runs axe-core on the page as it is now and fails when it finds a serious or critical violation, listing each
    /// one: the rule, its impact, what it asks for, and every element that breaks it. Minor and moderate findings
    /// do not fail.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var violations = await SeriousViolationsAsync(page);
        if (violations.Count > 0)
        {
            Assert.Fail($"axe-core found {violations.Count} serious or critical accessibility violation(s) on {page.Url}:"
                + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(Describe)));
        }
    }

    /// <summary>The serious and critical violations axe-core finds on the page.</summary>
    public static async Task<IReadOnlyList<AxeResultItem>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations.Where(v => v.Impact is "serious" or "critical")];
    }

    private static string Describe(AxeResultItem violation)
    {
        var targets = violation.Nodes.Select(n =>
        {
            var checks = (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m));
            return $"    at {n.Target}: {n.Html}" + string.Concat(checks.Select(m => Environment.NewLine + "      " + m));
        });
        return $"- {violation.Id} ({violation.Impact}): {violation.Help}. See {violation.HelpUrl}"
            + Environment.NewLine + string.Join(Environment.NewLine, targets);
    }
}
