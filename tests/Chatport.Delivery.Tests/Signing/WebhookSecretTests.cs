using System.Security.Cryptography;
using Chatport.Delivery.Signing;

namespace Chatport.Tests.Signing;

public sealed class WebhookSecretTests
{
    private static string SecretOf(int bytes) => WebhookSecret.Prefix + Convert.ToBase64String(Enumerable.Range(1, bytes).Select(i => (byte)i).ToArray());

    [Fact]
    public void Parse_reads_the_reference_secret()
    {
        var secret = WebhookSecret.Parse(SigningVectors.ReferenceSecret);

        Assert.Equal(SigningVectors.ReferenceKeyHex, Convert.ToHexStringLower(secret.Key));
        Assert.Equal(SigningVectors.ReferenceSecret, secret.ToString());
    }

    [Fact]
    public void Parse_ignores_surrounding_white_space()
    {
        var secret = WebhookSecret.Parse("  " + SigningVectors.ReferenceSecret + "\n");

        Assert.Equal(SigningVectors.ReferenceSecret, secret.ToString());
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void Parse_accepts_24_to_64_bytes(int bytes)
    {
        var text = SecretOf(bytes);

        var secret = WebhookSecret.Parse(text);

        Assert.Equal(bytes, secret.Key.Length);
        Assert.Equal(text, secret.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(65)]
    [InlineData(66)]
    [InlineData(67)]
    [InlineData(128)]
    public void Parse_refuses_keys_outside_24_to_64_bytes(int bytes)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(SecretOf(bytes)));

        Assert.Contains("24 to 64 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_says_how_many_bytes_a_short_key_has()
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(SecretOf(16)));

        Assert.Contains("holds 16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // bare base64, the reference libraries' other form
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // an asymmetric secret key
    [InlineData("v1,whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_refuses_text_without_the_prefix(string text)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));

        Assert.Contains("does not start with 'whsec_'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_a_prefix_without_key()
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse("whsec_"));

        Assert.Contains("no key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_not base64 at all, not at all!")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La LaSw")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La\nLaSw")]
    public void Parse_refuses_white_space_inside_the_key(string text)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));

        Assert.Contains("white space", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS")] // 31 characters: not a whole base64 quantum
    [InlineData("whsec_MfKQ9r8GKYqrTwjU-D8ILPZIo2LaLa_w")] // URL-safe alphabet
    [InlineData("whsec_3cS7OyBNlZptMZBkL5CK4zn8n775F5aZiH6ue8vRC64")] // missing '=' padding
    [InlineData("whsec_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%")]
    public void Parse_refuses_text_that_is_not_base64(string text)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));

        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => WebhookSecret.Parse(null!));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjU-D8ILPZIo2LaLa_w")]
    [InlineData("whsec_AAECAwQFBgcICQoLDA0ODxAREhM=")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La LaSw")]
    public void Parse_errors_never_repeat_the_text(string text)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));

        var key = text.StartsWith("whsec_", StringComparison.Ordinal) ? text["whsec_".Length..] : text;
        Assert.DoesNotContain(key[..8], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_makes_32_random_bytes_that_round_trip()
    {
        var first = WebhookSecret.Generate();
        var second = WebhookSecret.Generate();

        Assert.Equal(32, first.Key.Length);
        Assert.StartsWith("whsec_", first.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(first.ToString(), second.ToString());
        var parsed = WebhookSecret.Parse(first.ToString());
        Assert.True(CryptographicOperations.FixedTimeEquals(first.Key, parsed.Key));
    }

    [Fact]
    public void Generated_secrets_are_not_constant()
    {
        var distinct = Enumerable.Range(0, 64).Select(_ => WebhookSecret.Generate().ToString()).Distinct().Count();

        Assert.Equal(64, distinct);
    }
}
