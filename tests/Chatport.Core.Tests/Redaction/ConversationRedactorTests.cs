using System.Text;
using System.Text.Json;
using Chatport.Redaction;

namespace Chatport.Core.Tests.Redaction;

public sealed class ConversationRedactorTests
{
    private const string Body = """{"accountId":208,"channel":{"id":1,"rating":5},"visitor":{"id":2,"name":"Dusan Kmet","email":"dusan@domain.com","ipAddress":"89.235.0.55","variables":{"a":{"label":"A","value":1.50}}},"paths":[],"messages":[{"type":"visitor","from":"visitor:x","content":"mail me at dusan@domain.com or call +420 601 234 567 — order 20261201","sentAt":1},{"type":"agent","name":"Jan","content":null,"sentAt":2}]}""";

    [Fact]
    public void Nothing_to_redact_returns_the_body_byte_for_byte()
    {
        var body = Encoding.UTF8.GetBytes(Body);

        var result = ConversationRedactor.Apply(body, [], []);

        Assert.Equal(body, result.ToArray());
    }

    [Fact]
    public void Contents_are_masked_and_visitor_fields_emptied_keeping_everything_else()
    {
        var result = Encoding.UTF8.GetString(ConversationRedactor.Apply(Encoding.UTF8.GetBytes(Body), ["email", "phone"], ["email", "ipAddress", "variables"]).Span);

        Assert.Equal(Body
            .Replace("mail me at dusan@domain.com or call +420 601 234 567", "mail me at [email] or call [phone]", StringComparison.Ordinal)
            .Replace("\"email\":\"dusan@domain.com\"", "\"email\":null", StringComparison.Ordinal)
            .Replace("\"ipAddress\":\"89.235.0.55\"", "\"ipAddress\":null", StringComparison.Ordinal)
            .Replace("\"variables\":{\"a\":{\"label\":\"A\",\"value\":1.50}}", "\"variables\":{}", StringComparison.Ordinal), result);
        Assert.Equal("Dusan Kmet", JsonDocument.Parse(result).RootElement.GetProperty("visitor").GetProperty("name").GetString());
    }
}
