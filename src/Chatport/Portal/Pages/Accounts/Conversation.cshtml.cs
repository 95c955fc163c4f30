using Chatport.Application.Accounts;
using Chatport.Application.Conversations;
using Chatport.Contract;
using Chatport.Storage.Conversations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Chatport.Portal.Pages.Accounts;

/// <summary>
/// <c>/accounts/{id}/conversations/{chatId}</c>: one conversation read as a chat (each message with who wrote it and
/// when, in the account's zone), the pages visited, the seed's metrics and flags, the visitor, and every stored
/// version with its JSON; the latest body as it is stored is one link away (<see cref="ConversationRawModel"/>).
/// Every text is encoded by Razor; nothing of the body is written into the page raw.
/// </summary>
internal sealed class ConversationModel(AccountService accounts, ConversationService conversations, IStringLocalizer<PortalTexts> texts)
    : AccountPage(accounts, texts)
{
    [FromRoute]
    public long ChatId { get; set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public StoredConversation Stored { get; private set; } = null!;

    /// <summary>The latest version read (normalized when of the older generation); null when it cannot be read.</summary>
    public Conversation? Body { get; private set; }

    public IReadOnlyList<StoredConversationVersion> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAccountAsync(cancellationToken))
        {
            return Page();
        }
        var found = await conversations.GetAsync(AccountId, ChatId, cancellationToken);
        if (!found.Succeeded)
        {
            Refuse(StatusCodes.Status404NotFound, Texts["Account {0} has no conversation {1}.", AccountId, ChatId]);
            return Page();
        }
        Zone = ConversationViews.ZoneOf(Account);
        Stored = found.Value!.Stored;
        Body = ConversationViews.Read(found.Value.Body);
        var versions = await conversations.VersionsAsync(AccountId, ChatId, cancellationToken);
        Versions = versions.Value ?? [];
        return Page();
    }

    /// <summary>Who wrote a message, in words: the visitor's name, the agent's, a trigger's name, or the system.</summary>
    public (string Kind, string Who) Speaker(Message message)
    {
        var name = message.Name.Or(null);
        if (message.TriggeredBy is { HasValue: true, Value: { } trigger })
        {
            return ("trigger", Texts["Trigger “{0}”", trigger]);
        }
        return message.Type.Or(null) switch
        {
            "visitor" => ("visitor", string.IsNullOrEmpty(name) ? VisitorName() : name),
            "agent" => ("agent", string.IsNullOrEmpty(name) ? Texts["Agent"] : name),
            "system" => ("system", Texts["System"]),
            var other => ("system", $"{(string.IsNullOrEmpty(name) ? Texts["Unknown"] : name)} ({other ?? "?"})"),
        };
    }

    /// <summary>A message's text; the system's codes (<c>agent.join</c>, <c>close.*</c>) as sentences.</summary>
    public string Text(Message message)
    {
        var content = message.Content.Or(null) ?? "";
        if (message.Type.Or(null) != "system" || message.TriggeredBy is { HasValue: true, Value: not null })
        {
            return content;
        }
        var name = message.Name.Or(null);
        var who = string.IsNullOrEmpty(name) ? null : name;
        return content switch
        {
            "agent.join" => who is null ? Texts["An agent joined the chat."] : Texts["{0} joined the chat.", who],
            "agent.leave" => who is null ? Texts["An agent left the chat."] : Texts["{0} left the chat.", who],
            "close.visitorClose" => who is null ? Texts["The visitor closed the chat."] : Texts["{0} closed the chat.", who],
            "close.agentClose" => who is null ? Texts["The agent closed the chat."] : Texts["{0} closed the chat.", who],
            "close.systemClose" => Texts["The system closed the chat."],
            _ => content,
        };
    }

    public string VisitorName() =>
        Body?.Visitor.Or(null)?.Name.Or(null) is { Length: > 0 } name ? name : Texts["Visitor"];

    public string Flag(Optional<bool> value) => value.HasValue ? value.Value ? Texts["yes"] : Texts["no"] : "—";

    public string Seconds(Optional<long> value) => value.HasValue ? Texts["{0} s", value.Value] : "—";

    /// <summary>A page's address is a link only when it is http or https.</summary>
    public static bool Linkable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
