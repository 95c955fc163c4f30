using Chatport.Contract;

namespace Chatport.Tracking;

/// <summary>
/// Builds the exported, seed-format conversation of a finished live chat (docs/architecture.md, "The conversation contract"
/// and "Live events"). The result shares no mutable object with the state: later events never change it.
/// </summary>
public static class ConversationBuilder
{
    /// <summary>Builds the conversation of a finished chat.</summary>
    /// <param name="accountId">The account, exported as <c>accountId</c>.</param>
    /// <param name="chatId">The chat, exported as <c>channel.id</c>.</param>
    /// <param name="state">The chat's state; <see cref="ChatState.FinishedBy"/> must be set.</param>
    /// <returns>The conversation, or <c>null</c> when the chat has no message (it is not exported).</returns>
    /// <exception cref="InvalidOperationException">The chat has not finished.</exception>
    public static Conversation? Build(long accountId, long chatId, ChatState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FinishedBy is not { } reason)
        {
            throw new InvalidOperationException(
                $"Chat {chatId} of account {accountId} is still open; only a finished chat is exported.");
        }

        var source = state.Messages;
        if (source is null || source.Count == 0)
        {
            return null;
        }

        var messages = new List<Message>(source.Count);
        foreach (var message in source)
        {
            messages.Add(CopyMessage(message));
        }

        var paths = new List<PagePath>(state.Paths?.Count ?? 0);
        if (state.Paths is not null)
        {
            foreach (var page in state.Paths)
            {
                paths.Add(new PagePath { Url = page.Url, Title = page.Title, Extra = ChatTracker.Copy(page.Extra) });
            }
        }

        var metrics = ChatMetricsCalculator.Compute(messages, reason);
        var rated = state.Rated;
        return new Conversation
        {
            AccountId = accountId,
            BeginAt = metrics.BeginAt,
            EndAt = metrics.EndAt,
            Channel = new Channel
            {
                Id = chatId,
                IsChat = metrics.IsChat,
                IsMissed = metrics.IsMissed,
                IsTriggered = metrics.IsTriggered,
                IsOffline = metrics.IsOffline,
                IsCompleted = metrics.IsCompleted,
                IsDropped = metrics.IsDropped,
                Duration = metrics.Duration,
                AvgResponse = metrics.AvgResponse,
                FirstResponse = metrics.FirstResponse,
                MessagesCount = metrics.MessagesCount,
                WordsCount = metrics.WordsCount,
                Rating = rated ? state.Rating : null,
                RatingDesc = rated ? state.RatingDesc ?? "" : null,
            },
            Visitor = ExportVisitor(state.Visitor),
            Paths = paths,
            Messages = messages,
        };
    }

    /// <summary>Every key of the contract's visitor: <c>null</c> where unknown, <c>variables</c> <c>{}</c> when none.</summary>
    private static Visitor ExportVisitor(Visitor? visitor)
    {
        visitor ??= new Visitor();
        var variables = new Dictionary<string, Variable>(StringComparer.Ordinal);
        if (visitor.Variables is { HasValue: true, Value: { } known })
        {
            foreach (var (key, variable) in known)
            {
                variables[key] = ChatTracker.CopyVariable(variable);
            }
        }

        return new Visitor
        {
            Id = visitor.Id.Or(null),
            Name = visitor.Name.Or(null),
            Email = visitor.Email.Or(null),
            Note = visitor.Note.Or(null),
            Group = visitor.Group.Or(null),
            IpAddress = visitor.IpAddress.Or(null),
            City = visitor.City.Or(null),
            CountryCode = visitor.CountryCode.Or(null),
            Country = visitor.Country.Or(null),
            UserAgent = visitor.UserAgent.Or(null),
            Platform = visitor.Platform.Or(null),
            Referer = visitor.Referer.Or(null),
            Variables = variables,
            Extra = ChatTracker.Copy(visitor.Extra),
        };
    }

    /// <summary>A copy of a kept message; <c>triggeredBy</c> is always present (<c>null</c> when unknown).</summary>
    private static Message CopyMessage(Message message) => new()
    {
        Type = message.Type,
        Name = message.Name,
        From = message.From,
        Content = message.Content,
        SentAt = message.SentAt,
        TriggeredBy = message.TriggeredBy.HasValue ? message.TriggeredBy : new Optional<string?>(null),
        Extra = ChatTracker.Copy(message.Extra),
    };
}
