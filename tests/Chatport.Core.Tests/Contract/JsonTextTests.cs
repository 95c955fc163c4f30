using System.Text;
using System.Text.Json;
using Chatport.Contract;
using Chatport.Tracking;

namespace Chatport.Tests.Contract;

/// <summary>Strings that parse but are not text: a lone surrogate escape, bytes that are not UTF-8 (issue 17).</summary>
public sealed class JsonTextTests
{
    private const string Event = "\"id\":\"e1\",\"accountId\":208,\"chatId\":1,\"at\":0,\"type\":\"message\"";

    public static TheoryData<byte[], string> Undecodable => new()
    {
        { Encoding.UTF8.GetBytes("{" + Event + ",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:x\",\"content\":\"\\ud800\"}}"), "$.message.content is not text: it holds an escaped lone surrogate" },
        { Encoding.UTF8.GetBytes("{" + Event + ",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:x\",\"content\":\"a\",\"note\":[\"\\udc00x\"]}}"), "$.message.note[0] is not text" },
        { Encoding.UTF8.GetBytes("{" + Event + ",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:x\",\"content\":\"a\",\"\\ud800\":1}}"), "A key of $.message is not text" },
        { [.. Encoding.UTF8.GetBytes("{" + Event + ",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:x\",\"content\":\""), 0xC3, 0x28, .. "\"}}"u8], "$.message.content is not text: it holds bytes that are not UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Undecodable))]
    public void The_first_string_that_is_not_text_is_named_by_its_path(byte[] body, string expected)
    {
        Assert.True(JsonText.MayHoldUndecodable(body));
        using var document = JsonDocument.Parse(body);

        Assert.StartsWith(expected, JsonText.FirstUndecodable(document.RootElement), StringComparison.Ordinal);
    }

    [Fact]
    public void The_event_parser_says_which_string_is_not_text_instead_of_throwing()
    {
        using var document = JsonDocument.Parse("{" + Event + ",\"message\":{\"type\":\"visitor\",\"from\":\"visitor:\\ud800\",\"content\":\"a\"}}");

        Assert.False(ChatEventParser.TryParse(document.RootElement, out _, out var error));
        Assert.StartsWith("$.message.from is not text", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\":\"plain ascii, \\u00e9 and \\n escapes\"}", false)]
    [InlineData("{\"a\":\"a pair: \\ud83d\\ude00\"}", true)]
    [InlineData("{\"a\":\"a pair: 😀, as UTF-8\"}", false)]
    public void Text_is_text(string json, bool suspect)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(body);

        Assert.Equal(suspect, JsonText.MayHoldUndecodable(body));
        Assert.Null(JsonText.FirstUndecodable(document.RootElement));
    }
}
