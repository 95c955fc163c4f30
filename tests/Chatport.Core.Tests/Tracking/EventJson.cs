using System.Text.Json;
using Chatport.Tracking;

namespace Chatport.Tests.Tracking;

/// <summary>Live events written as JSON text and read through <see cref="ChatEventParser"/>, as the service reads them.</summary>
internal static class EventJson
{
    public const long AccountId = 208;
    public const long ChatId = 55039;

    /// <summary>Parses one event; fails the test with the parser's error when it is not valid.</summary>
    public static ChatEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(ChatEventParser.TryParse(document.RootElement, out var chatEvent, out var error), error);
        return chatEvent;
    }

    /// <summary>Parses one event that must be invalid and returns the parser's error.</summary>
    public static string Error(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.False(ChatEventParser.TryParse(document.RootElement, out var chatEvent, out var error));
        Assert.Null(chatEvent);
        return error;
    }

    /// <summary>An event of chat 55039 of account 208 with the given id, time, type and the rest of its JSON.</summary>
    public static ChatEvent Of(string id, long at, string type, string rest = "") =>
        Parse($$"""{"id":"{{id}}","accountId":{{AccountId}},"chatId":{{ChatId}},"at":{{at}},"type":"{{type}}"{{(rest.Length > 0 ? "," + rest : "")}}}""");

    /// <summary>Applies an event that must be accepted, with the server's clock at <paramref name="receivedAt"/>.</summary>
    public static ApplyResult Apply(ChatState state, ChatEvent chatEvent, long receivedAt = 1_000_000)
    {
        var result = ChatTracker.Apply(state, chatEvent, receivedAt, out var refusal);
        Assert.NotEqual(ApplyResult.Refused, result);
        Assert.Null(refusal);
        return result;
    }
}
