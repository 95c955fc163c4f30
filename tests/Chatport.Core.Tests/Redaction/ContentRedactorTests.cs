using Chatport.Redaction;

namespace Chatport.Core.Tests.Redaction;

/// <summary>A corpus of what must be masked and what must survive (order numbers, references, dates, prices).</summary>
public sealed class ContentRedactorTests
{
    private static readonly string[] All = ["email", "phone", "card", "iban"];

    [Theory]
    // true positives
    [InlineData("write to dusan@domain.com please", "write to [email] please")]
    [InlineData("Mail: Jan.Novak+crm@mail.example.co.uk.", "Mail: [email].")]
    [InlineData("my card is 4111 1111 1111 1111 ok", "my card is [card] ok")]
    [InlineData("card 5500-0000-0000-0004", "card [card]")]
    [InlineData("4012888888881881", "[card]")]
    [InlineData("IBAN CZ65 0800 0000 1920 0014 5399 thanks", "IBAN [iban] thanks")]
    [InlineData("pay to DE89370400440532013000", "pay to [iban]")]
    [InlineData("GB82 WEST 1234 5698 7654 32", "[iban]")]
    [InlineData("call +420 601 234 567 today", "call [phone] today")]
    [InlineData("or (555) 123-4567", "or [phone]")]
    [InlineData("dial 00421 905 123 456", "dial [phone]")]
    [InlineData("mobile 0601-23-45-67", "mobile [phone]")]
    // false positives that must survive
    [InlineData("order 4111111111111112 shipped", "order 4111111111111112 shipped")] // fails Luhn
    [InlineData("reference 12345678901234", "reference 12345678901234")]          // fails Luhn, bare digits
    [InlineData("invoice 20261201", "invoice 20261201")]                           // bare digits, not a phone
    [InlineData("CZ65 0800 0000 1920 0014 5390", "CZ65 0800 0000 1920 0014 5390")] // bad IBAN checksum
    [InlineData("on 2026-12-01 at 15:30", "on 2026-12-01 at 15:30")]
    [InlineData("it costs 1 299,00 CZK", "it costs 1 299,00 CZK")]
    [InlineData("version 1.2.3", "version 1.2.3")]
    [InlineData("no @ here and me@localhost", "no @ here and me@localhost")]
    public void Masks_what_it_should_and_leaves_the_rest(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, All));

    [Fact]
    public void Only_the_kinds_asked_for_are_masked()
    {
        const string text = "dusan@domain.com, 4111 1111 1111 1111, +420 601 234 567";

        Assert.Equal("[email], 4111 1111 1111 1111, +420 601 234 567", ContentRedactor.Redact(text, ["email"]));
        Assert.Equal("dusan@domain.com, [card], +420 601 234 567", ContentRedactor.Redact(text, ["card"]));
        Assert.Equal(text, ContentRedactor.Redact(text, []));
    }
}
