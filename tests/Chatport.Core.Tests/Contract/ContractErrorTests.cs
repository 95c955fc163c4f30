using System.Text;
using Chatport.Contract;

namespace Chatport.Tests.Contract;

public sealed class ContractErrorTests
{
    [Theory]
    [InlineData("not json", null, "not valid JSON")]
    [InlineData("[]", "$", "not an array")]
    [InlineData("", "$", "empty")]
    [InlineData("{\"channel\":{\"id\":1},\"visitor\":{\"variables\":{\"v\":{\"label\":5}}},\"messages\":[]}", "$.visitor.variables.v.label", "expected a string")]
    [InlineData("{\"channel\":{\"id\":1},\"paths\":[{\"url\":[]}],\"messages\":[]}", "$.paths[0].url", "Wrong type")]
    [InlineData("null", "$", "JSON object")]
    [InlineData("{\"messages\":[]}", "$.channel", "$.channel")]
    [InlineData("{\"channel\":{},\"messages\":[]}", "$.channel.id", "$.channel.id")]
    [InlineData("{\"channel\":{\"id\":\"55039\"},\"messages\":[]}", "$.channel.id", "$.channel.id")]
    [InlineData("{\"channel\":{\"id\":1}}", "$.messages", "$.messages")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":{}}", "$.messages", "$.messages")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":[null]}", "$.messages[0]", "$.messages[0]")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":[{\"sentAt\":\"yesterday\"}]}", "$.messages[0].sentAt", "$.messages[0].sentAt")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":[]", null, "not valid JSON")]
    public void A_body_that_is_not_a_conversation_is_refused_with_where_and_why(string body, string? path, string messagePart)
    {
        var error = Assert.Throws<ContractException>(() => ContractJson.Parse(Encoding.UTF8.GetBytes(body)));

        if (path is not null)
        {
            Assert.Equal(path, error.Path);
        }
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"channel\":{\"id\":1},\"visitor\":{\"variables\":{\"v\":{\"label\":5}}},\"messages\":[]}", "$.visitor.variables.v.label", "expected a string")]
    [InlineData("{\"channel\":{\"id\":1},\"paths\":[{\"url\":[]}],\"messages\":[]}", "$.paths[0].url", "Wrong type")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":[{\"sentAt\":\"yesterday\"}]}", "$.messages[0].sentAt", "$.messages[0].sentAt")]
    [InlineData("{\"channel\":{\"id\":1},\"messages\":[null]}", "$.messages[0]", "$.messages[0]")]
    [InlineData("[]", "$", "not an array")]
    [InlineData("null", "$", "JSON object")]
    [InlineData("7", "$", "JSON object")]
    public void An_array_element_is_refused_with_the_same_where_and_why_without_the_syntax_pass(string element, string path, string messagePart)
    {
        // ParseWellFormed skips the pre-pass for elements a JsonDocument already read; the errors must not change.
        var error = Assert.Throws<ContractException>(() => ContractJson.ParseWellFormed(Encoding.UTF8.GetBytes(element)));

        Assert.Equal(path, error.Path);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_element_reads_as_the_full_parse_does()
    {
        Assert.Equal(
            ContractJson.SerializeToString(ContractJson.Parse(Samples.Seed)),
            ContractJson.SerializeToString(ContractJson.ParseWellFormed(Samples.Seed)));
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_refused()
    {
        byte[] body = [.. "{\"channel\":{\"id\":1},\"messages\":[],\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var error = Assert.Throws<ContractException>(() => ContractJson.Parse(body));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset 39", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));
        var body = $$"""{"channel":{"id":1},"messages":[],"x":{{deep}}}""";

        Assert.Throws<ContractException>(() => ContractJson.Parse(Encoding.UTF8.GetBytes(body)));
    }
}
