using System.Text.Json;
using System.Text.Json.Nodes;
using Chatport.Application;
using Chatport.Application.Accounts;
using Chatport.Application.Destinations;
using Chatport.Application.Keys;
using Chatport.Application.Sources;
using Chatport.Auth;
using Chatport.Storage.Keys;
using Chatport.Storage.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}</c>: the account's settings, destinations (add a webhook — "activate the POST hook" — enable or
/// disable, send a test, rotate the secret), inbound hooks and API keys. Each action is a form POST (antiforgery
/// checked) that calls the same service as the API, then shows the page again with what happened; a secret made by
/// the action is shown in that answer only.
/// </summary>
internal sealed class AccountModel(
    AccountService accounts, DestinationService destinations, SourceService sources, KeyService keys, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    public static readonly string[] ConversationKinds = ["completed", "missed", "offline", "dropped"];

    public IReadOnlyList<DestinationModel> Destinations { get; private set; } = [];
    public IReadOnlyList<HookSource> Sources { get; private set; } = [];
    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    /// <summary>What the last action did, in words; <see cref="Failed"/> when it did not.</summary>
    public string? Notice { get; private set; }
    public bool Failed { get; private set; }
    public IDictionary<string, string[]>? Errors { get; private set; }

    /// <summary>A secret made by this request's action (shown once), and what it is for.</summary>
    public (string Label, string Value)? Secret { get; private set; }

    public TestResult? Test { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSettingsAsync(string? name, string? plan, int? inactivityTimeoutSeconds, string? timeZone)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        if (!User.IsAdmin())
        {
            return Done(Result<bool>.Refused(Texts["Not allowed"], Texts["Only the admin key can change an account's settings."]), "");
        }
        var saved = await Accounts.PutAsync(AccountId, new AccountRequest(name, plan, inactivityTimeoutSeconds, timeZone), CancellationToken.None);
        return await DoneAsync(saved, Texts["Settings saved."]);
    }

    public async Task<IActionResult> OnPostAddWebhookAsync(string? url, string? name, string[]? kinds)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        var body = new JsonObject { ["kind"] = "webhook", ["url"] = url?.Trim() };
        if (!string.IsNullOrWhiteSpace(name))
        {
            body["name"] = name.Trim();
        }
        body["kinds"] = new JsonArray([.. (kinds ?? []).Select(k => (JsonNode?)JsonValue.Create(k))]);
        var made = await destinations.CreateAsync(AccountId, JsonSerializer.SerializeToElement(body), CancellationToken.None);
        if (made.Succeeded && made.Value!.View.Secrets["secret"]?.GetValue<string>() is { } secret)
        {
            Secret = (Texts["The webhook's signing secret"], secret);
        }
        return await DoneAsync(made, Texts["Webhook added: every finished conversation is now POSTed to it."]);
    }

    public async Task<IActionResult> OnPostEnableAsync(string id, bool enabled)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        var changed = await destinations.PatchAsync(AccountId, id, JsonSerializer.SerializeToElement(new JsonObject { ["enabled"] = enabled }), CancellationToken.None);
        return await DoneAsync(changed, enabled ? Texts["Destination enabled."] : Texts["Destination disabled."]);
    }

    public async Task<IActionResult> OnPostTestAsync(string id)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        var tested = await destinations.TestAsync(AccountId, id, CancellationToken.None);
        Test = tested.Value;
        return await DoneAsync(tested, tested.Value is { Succeeded: true } ? Texts["The test was delivered."] : Texts["The test was not delivered."],
            failed: tested.Value is { Succeeded: false });
    }

    public async Task<IActionResult> OnPostRotateAsync(string id)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        var rotated = await destinations.PatchAsync(AccountId, id, JsonSerializer.SerializeToElement(new JsonObject { ["rotateSecret"] = true }), CancellationToken.None);
        if (rotated.Succeeded && rotated.Value!.View.Secrets["secret"]?.GetValue<string>() is { } secret)
        {
            Secret = (Texts["The new signing secret (the previous one keeps signing beside it for 24 hours)"], secret);
        }
        return await DoneAsync(rotated, Texts["Secret rotated."]);
    }

    public async Task<IActionResult> OnPostAddSourceAsync(string? name)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        var made = await sources.CreateAsync(AccountId, new SourceRequest("hook", string.IsNullOrWhiteSpace(name) ? null : name.Trim(), null, null, null), CancellationToken.None);
        if (made.Succeeded)
        {
            Secret = (Texts["The inbound hook's URL (it holds its token: keep it private)"], HookUrl(made.Value!.Source));
        }
        return await DoneAsync(made, Texts["Inbound hook added."]);
    }

    public async Task<IActionResult> OnPostDeleteSourceAsync(string id)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        return await DoneAsync(await sources.DeleteAsync(AccountId, id, CancellationToken.None), Texts["Inbound hook deleted: its URL no longer works."]);
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(string? name)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        if (!User.IsAdmin())
        {
            return Done(Result<bool>.Refused(Texts["Not allowed"], Texts["Only the admin key can make API keys."]), "");
        }
        var made = await keys.CreateAsync(AccountId, name, CancellationToken.None);
        if (made.Succeeded)
        {
            Secret = (Texts["The new API key"], made.Value!.Key);
        }
        return await DoneAsync(made, Texts["API key made."]);
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string id)
    {
        if (!await LoadAsync(CancellationToken.None))
        {
            return Page();
        }
        return await DoneAsync(await keys.RevokeAsync(AccountId, id, CancellationToken.None), Texts["API key revoked."]);
    }

    public string HookUrl(HookSource source) => $"{Request.Scheme}://{Request.Host}/hooks/{source.Token}";

    /// <summary>Where a destination sends, for people: its URL, path or host.</summary>
    public static string Target(DestinationModel destination) =>
        destination.View.Target.Select(p => p.Value?.ToString()).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? destination.Destination.Kind;

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAccountAsync(cancellationToken))
        {
            return false;
        }
        Destinations = await destinations.ListAsync(AccountId, cancellationToken);
        Sources = await sources.ListAsync(AccountId, cancellationToken);
        Keys = await keys.ListAsync(AccountId, cancellationToken);
        return true;
    }

    /// <summary>Shows the page again after an action, read afresh, with what the action did.</summary>
    private async Task<IActionResult> DoneAsync<T>(Result<T> result, string done, bool failed = false)
    {
        Done(result, done, failed);
        await LoadAsync(CancellationToken.None);
        return Page();
    }

    private PageResult Done<T>(Result<T> result, string done, bool failed = false)
    {
        Failed = failed || !result.Succeeded;
        Notice = result.Succeeded ? done : result.Detail ?? result.Title ?? Texts["That did not work."];
        Errors = result.Errors;
        if (!result.Succeeded)
        {
            Secret = null;
            Response.StatusCode = result.Status switch
            {
                ResultStatus.NotFound => StatusCodes.Status404NotFound,
                ResultStatus.Refused => StatusCodes.Status403Forbidden,
                ResultStatus.LimitReached => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
        }
        return Page();
    }
}
