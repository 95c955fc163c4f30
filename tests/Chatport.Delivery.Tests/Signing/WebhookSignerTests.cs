using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Chatport.Delivery.Signing;

namespace Chatport.Tests.Signing;

public sealed class WebhookSignerTests
{
    private static readonly WebhookSecret Reference = WebhookSecret.Parse(SigningVectors.ReferenceSecret);

    /// <summary>An independent route: concatenate the bytes, HMAC with the instance API.</summary>
    internal static string Expected(string id, long timestamp, byte[] body, WebhookSecret secret)
    {
        var content = Encoding.UTF8.GetBytes(id + "." + timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        using var hmac = new HMACSHA256(secret.Key.ToArray());
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(content));
    }

    [Fact]
    public void Sign_matches_the_Standard_Webhooks_reference_vector()
    {
        var signature = WebhookSigner.Sign(
            SigningVectors.ReferenceId,
            SigningVectors.ReferenceTimestamp,
            SigningVectors.Utf8(SigningVectors.ReferencePayload),
            Reference);

        Assert.Equal(SigningVectors.ReferenceSignature, signature);
    }

    [Fact]
    public void Sign_matches_the_vector_computed_with_openssl()
    {
        var body = SigningVectors.Utf8(SigningVectors.OpensslPayload);
        Assert.Equal(120, body.Length);
        Assert.Equal(SigningVectors.OpensslPayloadSha256, Convert.ToHexStringLower(SHA256.HashData(body)));

        var signature = WebhookSigner.Sign(
            SigningVectors.OpensslId,
            SigningVectors.OpensslTimestamp,
            body,
            WebhookSecret.Parse(SigningVectors.OpensslSecret));

        Assert.Equal(SigningVectors.OpensslSignature, signature);
    }

    [Fact]
    public void Signature_header_with_one_secret_is_the_signature()
    {
        var body = SigningVectors.Utf8(SigningVectors.ReferencePayload);

        var header = WebhookSigner.SignatureHeader(SigningVectors.ReferenceId, SigningVectors.ReferenceTimestamp, body, [Reference]);

        Assert.Equal(SigningVectors.ReferenceSignature, header);
    }

    [Fact]
    public void Signature_header_during_rotation_has_one_signature_per_secret_in_order()
    {
        var body = SigningVectors.Utf8(SigningVectors.ReferencePayload);
        var previous = WebhookSecret.Parse(SigningVectors.OpensslSecret);

        var header = WebhookSigner.SignatureHeader(
            SigningVectors.ReferenceId,
            SigningVectors.ReferenceTimestamp,
            body,
            new List<WebhookSecret> { Reference, previous });

        var expectedPrevious = WebhookSigner.Sign(SigningVectors.ReferenceId, SigningVectors.ReferenceTimestamp, body, previous);
        Assert.Equal(SigningVectors.ReferenceSignature + " " + expectedPrevious, header);
    }

    [Fact]
    public void Signature_header_handles_many_secrets_and_lazy_sequences()
    {
        var secrets = Enumerable.Range(0, 12).Select(_ => WebhookSecret.Generate()).ToArray();
        var body = "{}"u8.ToArray();

        var header = WebhookSigner.SignatureHeader("msg_many", 1700000000, body, secrets.Select(s => s));

        var parts = header.Split(' ');
        Assert.Equal(12, parts.Length);
        for (var i = 0; i < secrets.Length; i++)
        {
            Assert.Equal(Expected("msg_many", 1700000000, body, secrets[i]), parts[i]);
        }
    }

    [Fact]
    public void Signature_header_refuses_no_secrets_or_null_ones()
    {
        var body = "{}"u8.ToArray();

        var none = Assert.Throws<ArgumentException>(() => WebhookSigner.SignatureHeader("msg_1", 1, body, []));
        Assert.Contains("At least one", none.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WebhookSigner.SignatureHeader("msg_1", 1, body, [Reference, null!]));
        Assert.Throws<ArgumentNullException>(() => WebhookSigner.SignatureHeader("msg_1", 1, body, null!));
    }

    [Fact]
    public void Sign_has_the_v1_base64_shape()
    {
        var signature = WebhookSigner.Sign("msg_1", 0, ReadOnlySpan<byte>.Empty, WebhookSecret.Generate());

        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
        Assert.Equal(47, signature.Length);
        Assert.Equal(32, Convert.FromBase64String(signature[3..]).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("msg.1")]
    [InlineData("1614265330.")]
    public void Sign_refuses_an_id_that_is_empty_or_has_a_dot(string id)
    {
        Assert.ThrowsAny<ArgumentException>(() => WebhookSigner.Sign(id, 1, "{}"u8, Reference));
        Assert.ThrowsAny<ArgumentException>(() => WebhookSigner.SignatureHeader(id, 1, "{}"u8.ToArray(), [Reference]));
    }

    [Fact]
    public void Sign_refuses_a_negative_timestamp_and_null_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSigner.Sign("msg_1", -1, "{}"u8, Reference));
        Assert.Throws<ArgumentNullException>(() => WebhookSigner.Sign(null!, 1, "{}"u8, Reference));
        Assert.Throws<ArgumentNullException>(() => WebhookSigner.Sign("msg_1", 1, "{}"u8, null!));
    }

    [Fact]
    public void Sign_covers_the_id_the_timestamp_and_the_body()
    {
        var body = SigningVectors.Utf8(SigningVectors.ReferencePayload);
        var baseline = WebhookSigner.Sign("msg_1", 1614265330, body, Reference);

        Assert.NotEqual(baseline, WebhookSigner.Sign("msg_2", 1614265330, body, Reference));
        Assert.NotEqual(baseline, WebhookSigner.Sign("msg_1", 1614265331, body, Reference));
        Assert.NotEqual(baseline, WebhookSigner.Sign("msg_1", 1614265330, [.. body, (byte)' '], Reference));
        Assert.NotEqual(baseline, WebhookSigner.Sign("msg_1", 1614265330, body, WebhookSecret.Generate()));
    }

    [Fact]
    public void Sign_handles_the_largest_timestamp_and_non_ascii_ids()
    {
        var body = "{}"u8.ToArray();

        Assert.Equal(Expected("msg_1", long.MaxValue, body, Reference), WebhookSigner.Sign("msg_1", long.MaxValue, body, Reference));
        Assert.Equal(Expected("msg_ñ€😀", 5, body, Reference), WebhookSigner.Sign("msg_ñ€😀", 5, body, Reference));
    }

    [Fact]
    public void Sign_agrees_with_an_independent_computation_for_random_bodies()
    {
        var random = new Random(20240229);
        var secrets = new[] { Reference, WebhookSecret.Generate(), WebhookSecret.Parse("whsec_" + Convert.ToBase64String(new byte[64])) };
        // Sizes around the stack/pool switch (512 bytes) and well beyond (a long conversation).
        var sizes = new[] { 0, 1, 2, 400, 450, 470, 471, 472, 473, 480, 511, 512, 513, 4096, 20_000, 200_000 }
            .Concat(Enumerable.Range(0, 200).Select(_ => random.Next(0, 3000)));

        foreach (var size in sizes)
        {
            var body = new byte[size];
            random.NextBytes(body);
            var id = "msg_" + random.Next().ToString("x", CultureInfo.InvariantCulture);
            var timestamp = random.NextInt64(0, 4_000_000_000);
            var secret = secrets[random.Next(secrets.Length)];

            Assert.Equal(Expected(id, timestamp, body, secret), WebhookSigner.Sign(id, timestamp, body, secret));
        }
    }
}
