using System.Globalization;
using System.Text.Json;
using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Applies live events to a chat's <see cref="ChatState"/> (docs/architecture.md, "The tracker's rules"). Pure: no I/O and no
/// clock; the server's time comes in as an argument. The caller applies each chat's events in <c>at</c> order,
/// drops repeated event ids, and persists the state.
/// </summary>
public static class ChatTracker
{
    /// <summary>The content of the close message for each closer.</summary>
    public const string VisitorCloseContent = "close.visitorClose";

    /// <inheritdoc cref="VisitorCloseContent"/>
    public const string AgentCloseContent = "close.agentClose";

    /// <inheritdoc cref="VisitorCloseContent"/>
    public const string SystemCloseContent = "close.systemClose";

    /// <summary>Applies one event to the chat's state.</summary>
    /// <param name="state">The chat's state; changed in place unless the event is refused.</param>
    /// <param name="chatEvent">The event, as <see cref="ChatEventParser"/> made it. The state keeps copies, never its objects.</param>
    /// <param name="receivedAt">The server's clock, epoch milliseconds; it becomes <see cref="ChatState.FinishedAt"/> when the event finishes the chat.</param>
    /// <param name="refusal">Why the event was refused; <c>null</c> unless the result is <see cref="ApplyResult.Refused"/>.</param>
    /// <returns>
    /// <see cref="ApplyResult.Applied"/> (state changed, chat still open), <see cref="ApplyResult.Finished"/> (a
    /// <c>close</c> or <c>offline</c> finished the chat), <see cref="ApplyResult.Rerated"/> (a rating on a finished chat:
    /// export it again as a new version) or <see cref="ApplyResult.Refused"/> (state unchanged; an event other than a
    /// rating on a finished chat, or an event without the body of its type).
    /// </returns>
    public static ApplyResult Apply(ChatState state, ChatEvent chatEvent, long receivedAt, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chatEvent);

        var wasFinished = state.FinishedBy.HasValue;
        if (wasFinished && chatEvent.Type != ChatEventType.Rating)
        {
            refusal = string.Create(
                CultureInfo.InvariantCulture,
                $"chat {chatEvent.ChatId} of account {chatEvent.AccountId} already finished; only rating events are accepted after a chat finishes");
            return ApplyResult.Refused;
        }

        refusal = MissingBody(chatEvent);
        if (refusal is not null)
        {
            return ApplyResult.Refused;
        }

        if (chatEvent.Visitor is { } visitor)
        {
            MergeVisitor(state.Visitor ??= new Visitor(), visitor);
        }

        switch (chatEvent.Type)
        {
            case ChatEventType.Visitor:
                return ApplyResult.Applied;

            case ChatEventType.Page:
                (state.Paths ??= []).Add(CopyPage(chatEvent.Page!));
                return ApplyResult.Applied;

            case ChatEventType.Message:
                Insert(state.Messages ??= [], CopyMessage(chatEvent.Message!, chatEvent.At));
                return ApplyResult.Applied;

            case ChatEventType.Rating:
                state.Rated = true;
                state.Rating = chatEvent.Rating;
                state.RatingDesc = chatEvent.RatingDesc ?? "";
                return wasFinished ? ApplyResult.Rerated : ApplyResult.Applied;

            case ChatEventType.Close:
                var by = chatEvent.CloseBy!.Value;
                Insert(state.Messages ??= [], CloseMessage(by, CloserName(state, chatEvent), chatEvent.At));
                Finish(state, by switch
                {
                    CloseBy.Visitor => FinishReason.VisitorClose,
                    CloseBy.Agent => FinishReason.AgentClose,
                    _ => FinishReason.SystemClose,
                }, receivedAt);
                return ApplyResult.Finished;

            default:
                Insert(state.Messages ??= [], CopyMessage(chatEvent.Message!, chatEvent.At));
                Finish(state, FinishReason.Offline, receivedAt);
                return ApplyResult.Finished;
        }
    }

    /// <summary>Finishes an open chat for inactivity: it is exported as dropped.</summary>
    /// <param name="state">The chat's state.</param>
    /// <param name="receivedAt">The server's clock, epoch milliseconds.</param>
    /// <returns><c>false</c> (and no change) when the chat had already finished.</returns>
    public static bool FinishForInactivity(ChatState state, long receivedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FinishedBy.HasValue)
        {
            return false;
        }

        Finish(state, FinishReason.Inactivity, receivedAt);
        return true;
    }

    private static void Finish(ChatState state, FinishReason reason, long receivedAt)
    {
        state.FinishedBy = reason;
        state.FinishedAt = receivedAt;
    }

    /// <summary>An event built by hand rather than by the parser may lack its body; it is refused, not half applied.</summary>
    private static string? MissingBody(ChatEvent chatEvent) => chatEvent.Type switch
    {
        ChatEventType.Visitor when chatEvent.Visitor is null => "$.visitor is required for type visitor (an object of visitor fields)",
        ChatEventType.Page when chatEvent.Page is null => "$.page is required for type page",
        ChatEventType.Message when chatEvent.Message is null => "$.message is required for type message",
        ChatEventType.Rating when chatEvent.Rating is null => "$.rating is required for type rating",
        ChatEventType.Close when chatEvent.CloseBy is null => "$.close is required for type close",
        ChatEventType.Offline when chatEvent.Message is null => "$.offline is required for type offline",
        ChatEventType.Visitor or ChatEventType.Page or ChatEventType.Message or ChatEventType.Rating
            or ChatEventType.Close or ChatEventType.Offline => null,
        _ => $"$.type {chatEvent.Type} is not a known event type",
    };

    /// <summary>The name given with the close, else for a visitor's close the visitor's name, else unknown (<c>null</c>).</summary>
    private static string? CloserName(ChatState state, ChatEvent chatEvent)
    {
        if (chatEvent.CloseName is not null)
        {
            return chatEvent.CloseName;
        }

        return chatEvent.CloseBy == CloseBy.Visitor && state.Visitor?.Name is { HasValue: true, Value: { } visitorName }
            ? visitorName
            : null;
    }

    private static Message CloseMessage(CloseBy by, string? name, long at) => new()
    {
        Type = "system",
        Name = name is null ? default : new Optional<string?>(name),
        From = "system",
        Content = by switch
        {
            CloseBy.Visitor => VisitorCloseContent,
            CloseBy.Agent => AgentCloseContent,
            _ => SystemCloseContent,
        },
        SentAt = at,
        TriggeredBy = new Optional<string?>(null),
    };

    /// <summary>
    /// Inserts after every message with the same or an earlier <c>sentAt</c>: appending is the usual case (O(1)),
    /// a late message is placed by binary search.
    /// </summary>
    private static void Insert(List<Message> messages, Message message)
    {
        var sentAt = SentAt(message);
        var high = messages.Count;
        if (high == 0 || SentAt(messages[high - 1]) <= sentAt)
        {
            messages.Add(message);
            return;
        }

        var low = 0;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            if (SentAt(messages[middle]) <= sentAt)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        messages.Insert(low, message);
    }

    private static long SentAt(Message message) => message.SentAt.HasValue ? message.SentAt.Value : 0;

    /// <summary>A copy of an event's message as the chat keeps it: <c>sentAt</c> defaults to <c>at</c>, <c>triggeredBy</c> to <c>null</c>.</summary>
    private static Message CopyMessage(Message message, long at) => new()
    {
        Type = message.Type,
        Name = message.Name,
        From = message.From,
        Content = message.Content,
        SentAt = message.SentAt.HasValue ? message.SentAt : at,
        TriggeredBy = message.TriggeredBy.HasValue ? message.TriggeredBy : new Optional<string?>(null),
        Extra = Copy(message.Extra),
    };

    /// <summary>A copy of an event's page as the chat keeps it: <c>title</c> defaults to <c>null</c>.</summary>
    private static PagePath CopyPage(PagePath page) => new()
    {
        Url = page.Url.HasValue ? page.Url : new Optional<string?>(null),
        Title = page.Title.HasValue ? page.Title : new Optional<string?>(null),
        Extra = Copy(page.Extra),
    };

    /// <summary>Keys present in <paramref name="update"/> overwrite, absent keys keep their value; variables and extra keys merge key by key.</summary>
    private static void MergeVisitor(Visitor target, Visitor update)
    {
        if (update.Id.HasValue)
        {
            target.Id = update.Id;
        }

        if (update.Name.HasValue)
        {
            target.Name = update.Name;
        }

        if (update.Email.HasValue)
        {
            target.Email = update.Email;
        }

        if (update.Note.HasValue)
        {
            target.Note = update.Note;
        }

        if (update.Group.HasValue)
        {
            target.Group = update.Group;
        }

        if (update.IpAddress.HasValue)
        {
            target.IpAddress = update.IpAddress;
        }

        if (update.City.HasValue)
        {
            target.City = update.City;
        }

        if (update.CountryCode.HasValue)
        {
            target.CountryCode = update.CountryCode;
        }

        if (update.Country.HasValue)
        {
            target.Country = update.Country;
        }

        if (update.UserAgent.HasValue)
        {
            target.UserAgent = update.UserAgent;
        }

        if (update.Platform.HasValue)
        {
            target.Platform = update.Platform;
        }

        if (update.Referer.HasValue)
        {
            target.Referer = update.Referer;
        }

        if (update.Variables is { HasValue: true, Value: { Count: > 0 } variables })
        {
            if (target.Variables is not { HasValue: true, Value: { } merged })
            {
                merged = new Dictionary<string, Variable>(variables.Count, StringComparer.Ordinal);
                target.Variables = merged;
            }

            foreach (var (key, variable) in variables)
            {
                merged[key] = CopyVariable(variable);
            }
        }

        if (update.Extra is { Count: > 0 } extra)
        {
            target.Extra ??= new Dictionary<string, JsonElement>(extra.Count, StringComparer.Ordinal);
            foreach (var (key, value) in extra)
            {
                target.Extra[key] = value;
            }
        }
    }

    internal static Variable CopyVariable(Variable variable) => new()
    {
        Label = variable.Label,
        Value = variable.Value,
        Extra = Copy(variable.Extra),
    };

    internal static Dictionary<string, JsonElement>? Copy(Dictionary<string, JsonElement>? extra) =>
        extra is null ? null : new Dictionary<string, JsonElement>(extra, StringComparer.Ordinal);
}
